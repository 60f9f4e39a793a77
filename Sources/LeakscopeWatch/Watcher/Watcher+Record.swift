import Foundation
import LeakscopeWatchRules

extension Watcher {
    /// Books one poll's outcome: samples, up/down and backoff, then the rules.
    func record(_ url: String, outcome: Poller.Outcome, time: Double, latency: Double) {
        guard var state = states[url] else { return }
        state.inFlight = false
        state.lastPoll = time
        state.lastLatency = latency
        counters.polls += 1
        if let served = outcome.metricsServed {
            state.metricsServed = served
            state.pollsSinceMetricsCheck = 0
        } else {
            state.pollsSinceMetricsCheck += 1
        }
        if state.metricsServed == false, state.pollsSinceMetricsCheck >= TargetState.metricsRecheck {
            state.metricsServed = nil
        }
        if let error = outcome.error {
            counters.pollFailures += 1
            state.pollErrors += 1
            state.failures += 1
            if state.up != false { log("target \(url) is down: \(error)") }
            state.up = false
            state.lastError = error
            // Backoff: interval × 2^(failures−1), capped; the first failure is retried at the next interval.
            let factor = pow(2.0, Double(min(state.failures - 1, 20)))
            state.nextDue = time + min(config.interval * factor, max(config.poll.maxBackoff, config.interval))
        } else {
            if state.up == false { log("target \(url) is up again") }
            state.up = true
            state.failures = 0
            state.lastError = nil
            state.nextDue = max(state.nextDue + config.interval, time + config.interval * 0.5)
            for (metric, value) in outcome.samples where value.isFinite {
                state.append(metric: metric, point: Point(time: time, value: value))
            }
        }
        states[url] = state
        pendingPolls.append(WatchStore.PollRecord(target: url, labels: state.target.labels, time: time,
                                                  up: outcome.error == nil, error: outcome.error,
                                                  samples: outcome.samples.filter { $0.value.isFinite }))
        if outcome.error == nil { evaluate(url) }
    }

    /// Steps every rule whose metric this target has.
    func evaluate(_ url: String) {
        guard let state = states[url] else { return }
        for rule in config.rules {
            guard let points = state.recent[rule.metric], !points.isEmpty else { continue }
            let key = Self.key(url, rule.name, rule.metric)
            var ruleState = ruleStates[key] ?? RuleState()
            let before = ruleState
            let baseline = rule.usesBaseline ? RuleEngine.baseline(rule, first: state.first[rule.metric] ?? []) : nil
            let (evaluation, transition) = RuleEngine.step(rule, points: points, baseline: baseline, state: &ruleState)
            ruleStates[key] = ruleState
            if ruleState != before { dirtyStates.insert(key) }
            switch transition {
            case .none:
                if var alert = firing[key], alert.summary != evaluation.summary, ruleState.phase == .firing {
                    alert.summary = evaluation.summary
                    firing[key] = alert
                }
            case .fired:
                fire(rule, target: state.target, evaluation: evaluation, key: key)
            case .resolved:
                resolve(key: key, evaluation: evaluation, time: points.last?.time ?? Date().timeIntervalSince1970)
            }
        }
    }

    func fire(_ rule: Rule, target: WatchTarget, evaluation: Evaluation, key: String) {
        let now = Date().timeIntervalSince1970
        counters.alertsFired += 1
        var alert = AlertRecord(id: nil, target: target.url, rule: rule.name, metric: rule.metric, severity: rule.severity.rawValue,
                                state: "firing", startsAt: now, endsAt: nil, summary: evaluation.summary)
        // A capture taken within the cooldown already explains this target: reuse its finding.
        let recentDiagnosis = states[target.url]?.lastDiagnosis.flatMap { now - $0.time < config.capture.cooldownSeconds ? $0 : nil }
        if let diagnosed = recentDiagnosis {
            alert.apply(diagnosed.top, captureID: diagnosed.captureID)
        }
        do {
            alert.id = try store.insertAlert(alert)
        } catch {
            log("cannot store alert: \(error)")
        }
        firing[key] = alert
        log("FIRING \(rule.name) on \(target.url): \(evaluation.summary)")
        notify(alert, labels: target.labels)
        guard config.capture.enabled, recentDiagnosis == nil else { return }
        let last = states[target.url]?.lastCapture
        guard last.map({ now - $0 >= config.capture.cooldownSeconds }) ?? true else { return }
        states[target.url]?.lastCapture = now
        counters.capturesStarted += 1
        let runner = captures
        Task {
            let result = await runner.run(target: target, alertID: alert.id)
            self.captured(target.url, key: key, result: result)
        }
    }

    /// A capture finished: attach its top finding to the alert and tell Alertmanager again.
    func captured(_ url: String, key: String, result: CaptureRunner.Result) {
        let now = Date().timeIntervalSince1970
        if result.error != nil { counters.capturesFailed += 1 }
        states[url]?.lastDiagnosis = TargetState.Diagnosed(time: now, captureID: result.captureID, top: result.top)
        if let error = result.error { log("capture of \(url) failed: \(error)") }
        if let top = result.top {
            log("diagnosis of \(url): \(top.title) at \(top.function ?? "?") \(top.location ?? "")")
        }
        // Every alert of this target that fires without a finding gets this one.
        for (alertKey, var alert) in firing where alert.target == url && (alertKey == key || alert.function == nil) {
            alert.apply(result.top, captureID: result.captureID)
            firing[alertKey] = alert
            try? store.updateAlert(alert)
            notify(alert, labels: states[url]?.target.labels ?? [:])
        }
    }

    func resolve(key: String, evaluation: Evaluation, time: Double) {
        guard var alert = firing.removeValue(forKey: key) else { return }
        counters.alertsResolved += 1
        alert.state = "resolved"
        alert.endsAt = Date().timeIntervalSince1970
        try? store.updateAlert(alert)
        log("RESOLVED \(alert.rule) on \(alert.target): \(evaluation.summary)")
        notify(alert, labels: states[alert.target]?.target.labels ?? [:])
    }

    func notify(_ alert: AlertRecord, labels: [String: String]) {
        let notifier = notifier
        let generator = generatorURL(alert)
        let resend = resendSeconds
        Task {
            let failures = await notifier.send([(alert, labels)], generatorURL: { _ in generator }, resendSeconds: resend)
            if !failures.isEmpty { self.notificationFailed(failures) }
        }
    }

    /// Re-sends every firing alert (Alertmanager resolves alerts it stops hearing about).
    func resendFiring() {
        let alerts = firing.values.map { ($0, states[$0.target]?.target.labels ?? [:]) }
        guard !alerts.isEmpty else { return }
        let notifier = notifier
        let base = externalURL
        let resend = resendSeconds
        Task {
            let failures = await notifier.send(alerts, generatorURL: { Self.generatorURL($0, base: base) }, resendSeconds: resend)
            if !failures.isEmpty { self.notificationFailed(failures) }
        }
    }

    func notificationFailed(_ failures: [String]) {
        counters.notificationsFailed += failures.count
        for failure in failures { log("notification failed: \(failure)") }
    }

    var resendSeconds: Double { max(config.interval, 15) }

    var externalURL: String {
        if let url = config.externalURL { return url }
        var listen = config.listen
        if let boundPort { listen.port = boundPort }
        return "http://\(listen.text)"
    }

    func setBoundPort(_ port: Int) { boundPort = port }

    func generatorURL(_ alert: AlertRecord) -> String { Self.generatorURL(alert, base: externalURL) }

    /// The capture's page when there is one (its findings, report and profiles), else the alert's page.
    static func generatorURL(_ alert: AlertRecord, base: String) -> String {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        if let capture = alert.captureID { return "\(trimmed)/captures/\(capture)" }
        if let id = alert.id { return "\(trimmed)/alerts/\(id)" }
        return "\(trimmed)/alerts"
    }
}

extension AlertRecord {
    mutating func apply(_ top: TopFinding?, captureID: Int64?) {
        self.captureID = captureID ?? self.captureID
        guard let top else { return }
        function = top.function
        location = top.location
        hint = top.hint
        findingTitle = top.title
    }
}
