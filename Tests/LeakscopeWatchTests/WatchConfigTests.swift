import Foundation
import Testing
import LeakscopeWatch
import LeakscopeWatchRules
import LeakscopeTestSupport

/// The YAML config: every key, the defaults, and errors that name the line and the field.
struct WatchConfigTests {
    func parse(_ text: String) throws(ConfigError) -> WatchConfig {
        try WatchConfigParser.parse(text, file: "watch.yaml")
    }

    func error(_ text: String) -> ConfigError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func emptyConfigGivesTheDefaults() throws {
        let config = try parse("")
        #expect(config.interval == 15)
        #expect(config.store == .sqlite(path: "leakscope.db"))
        #expect(config.listen.host == "127.0.0.1" && config.listen.port == 7070)
        #expect(config.rules == Rule.defaults)
        #expect(config.rules.map(\.name) == ["GoroutineLeak", "GoroutineGrowth", "HeapGrowth"])
        #expect(config.capture.enabled && config.capture.snapshots == 2)
        #expect(config.alertmanager == nil && config.webhook == nil)
    }

    @Test func everyKeyIsRead() throws {
        let config = try parse("""
        interval: 1m30s
        store: sqlite:/var/lib/leakscope/watch.db
        listen: 0.0.0.0:9999
        external_url: https://watch.example.com
        retention: 3d
        targets:
          - http://127.0.0.1:6060
          - url: https://10.0.0.5:8443
            labels: {service: api, env: prod}
            prefix: /admin/debug/pprof
            metrics_path: none
            headers: {Authorization: Bearer x}
            insecure: true
            timeout: 2s
          - sidecar: true
        file_sd: [/etc/leakscope/targets.json]
        alertmanager: {url: http://127.0.0.1:9093}
        webhook:
          url: http://127.0.0.1:8080/hook
        poll: {concurrency: 8, timeout: 3s, max_backoff: 10m, max_bytes: 1MB}
        capture:
          enabled: false
          directory: /tmp/caps
          snapshots: 3
          snapshot_interval: 2s
          cpu_seconds: 5
          trace_seconds: 3
          goroutine_ceiling: 1000
          cooldown: 30m
          max_concurrent: 4
          timeout: 20s
        rules:
          - name: ManyGoroutines
            metric: goroutines
            above: 5000
            growth_per_minute: 10%
            for: 45s
            window: 2m
            cooldown: 1h
            resolve_after: 5
            hysteresis: 10%
            severity: critical
          - name: HeapOverBaseline
            metric: heap_inuse_bytes
            over_baseline: 2
            min_increase: 64MB
            rising: true
            warmup: 20
        """)
        #expect(config.interval == 90)
        #expect(config.store == .sqlite(path: "/var/lib/leakscope/watch.db"))
        #expect(config.listen.host == "0.0.0.0" && config.listen.port == 9999)
        #expect(config.externalURL == "https://watch.example.com")
        #expect(config.retentionSeconds == 3 * 86400)
        #expect(config.targets.map(\.url) == ["http://127.0.0.1:6060", "https://10.0.0.5:8443", "http://localhost:6060"])
        let second = config.targets[1]
        #expect(second.labels == ["service": "api", "env": "prod"])
        #expect(second.prefix == "/admin/debug/pprof")
        #expect(second.metricsPath == nil)
        #expect(second.headers == ["Authorization": "Bearer x"])
        #expect(second.insecure && second.timeout == 2)
        #expect(config.fileSD == ["/etc/leakscope/targets.json"])
        #expect(config.alertmanager == "http://127.0.0.1:9093")
        #expect(config.webhook == "http://127.0.0.1:8080/hook")
        #expect(config.poll.concurrency == 8 && config.poll.timeout == 3 && config.poll.maxBackoff == 600 && config.poll.maxBytes == 1 << 20)
        #expect(!config.capture.enabled && config.capture.directory == "/tmp/caps" && config.capture.snapshots == 3)
        #expect(config.capture.snapshotInterval == 2 && config.capture.cpuSeconds == 5 && config.capture.goroutineCeiling == 1000)
        #expect(config.capture.traceSeconds == 3)
        #expect(config.capture.cooldownSeconds == 1800 && config.capture.maxConcurrent == 4 && config.capture.timeout == 20)
        #expect(config.rules.count == 2)
        let rule = config.rules[0]
        #expect(rule.above == 5000 && rule.growthPerMinute == 0.1 && rule.forSpan == .seconds(45) && rule.window == .seconds(120))
        #expect(rule.cooldownSeconds == 3600 && rule.resolveAfter == 5 && rule.hysteresis == 0.1 && rule.severity == .critical)
        let heap = config.rules[1]
        #expect(heap.overBaseline == 2 && heap.minIncrease == 64 * 1024 * 1024 && heap.rising && heap.warmup == .samples(20))
    }

    @Test func errorsNameTheLineAndTheField() {
        #expect(error("interval: 15\n")?.description == "watch.yaml:1: interval: expected a duration such as 15s, 500ms, 1m30s or 2h, not '15'")
        #expect(error("interal: 15s\n")?.description == "watch.yaml:1: interal: unknown key (did you mean 'interval'?)")
        #expect(error("targets:\n  - url: ftp://x\n")?.description == "watch.yaml:2: targets[0].url: expected an http:// or https:// URL, not 'ftp://x'")
        #expect(error("listen: localhost\n")?.line == 1)
        let rule = error("""
        rules:
          - name: A
            metric: goroutines
            above: 10
          - name: B
            metric: goroutines
            growth_per_minute: fast
        """)
        #expect(rule?.description == "watch.yaml:7: rules[1].growth_per_minute: expected a positive percentage such as 15%, not 'fast'")
        #expect(error("rules:\n  - name: A\n    metric: goroutines\n")?.description.contains("rules[0]: sets no condition") == true)
        #expect(error("rules:\n  - name: A\n    metric: goroutines\n    above: 1\n    window: 2\n")?.field == "rules[0].window")
        #expect(error("store: postgres://db/watch\n")?.description == "watch.yaml:1: store: the PostgreSQL URL has no user; expected postgres://USER:PASSWORD@db/DATABASE")
        #expect(error("targets:\n  - url: http://a:1\n    labels: {alertname: x}\n")?.field == "targets[0].labels.alertname")
        #expect(error("interval: [1\n")?.description.hasPrefix("watch.yaml:") == true)
        #expect(error("interval: 1s\ninterval: 2s\n")?.description.contains("given twice") == true)
    }

    @Test func fileSDTargetsAreRead() throws {
        let targets = try WatchConfigParser.fileSD("""
        [{"targets": ["127.0.0.1:6060", "10.0.0.1:6060"], "labels": {"service": "api", "__scheme__": "https"}},
         {"targets": ["10.0.0.2:7070"]}]
        """, file: "targets.json")
        #expect(targets.map(\.url) == ["https://127.0.0.1:6060", "https://10.0.0.1:6060", "http://10.0.0.2:7070"])
        #expect(targets[0].labels == ["service": "api"])
        let yaml = try WatchConfigParser.fileSD("- targets: [a:1]\n  labels:\n    job: x\n", file: "targets.json")
        #expect(yaml.map(\.url) == ["http://a:1"] && yaml[0].labels == ["job": "x"])
    }

    @Test func checkFlagValidatesAConfigFile() async throws {
        let dir = try WatchHarness.folder("watch-check")
        let good = dir.appendingPathComponent("good.yaml")
        try "targets: [http://127.0.0.1:6060]\n".write(to: good, atomically: true, encoding: .utf8)
        let ok = try await LeakscopeBinary.run(["watch", "--config", good.path, "--check"])
        #expect(ok.exitCode == 0, "\(ok)")
        #expect(ok.stdoutText.contains("config OK: 1 target,"))
        let bad = dir.appendingPathComponent("bad.yaml")
        try "targets:\n  - url: http://127.0.0.1:6060\n    lables: {a: b}\n".write(to: bad, atomically: true, encoding: .utf8)
        let failed = try await LeakscopeBinary.run(["watch", "--config", bad.path, "--check"])
        #expect(failed.exitCode == 2)
        #expect(failed.stderrText == "leakscope: \(bad.path):3: targets[0].lables: unknown key (did you mean 'labels'?)\n")
        // Beyond loopback the API needs a token.
        let open = try await LeakscopeBinary.run(["watch", "--config", good.path, "--listen", "0.0.0.0:7070", "--check"])
        #expect(open.exitCode == 2)
        #expect(open.stderrText.contains("listen: 0.0.0.0:7070 is reachable from other machines: set token:"), "\(open.stderrText)")
        let guarded = dir.appendingPathComponent("guarded.yaml")
        try "listen: 0.0.0.0:7070\ntoken: 0123456789abcdef0123\ntargets: [http://127.0.0.1:6060]\n".write(to: guarded, atomically: true, encoding: .utf8)
        #expect(try await LeakscopeBinary.run(["watch", "--config", guarded.path, "--check"]).exitCode == 0)
        let none = try await LeakscopeBinary.run(["watch", "--check"])
        #expect(none.exitCode == 2)
        #expect(none.stderrText.contains("no targets"))
    }
}
