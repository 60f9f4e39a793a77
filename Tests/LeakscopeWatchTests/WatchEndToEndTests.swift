import Foundation
import Testing
import LeakscopeTestSupport

/// `leakscope watch` against a small fleet of real Go services on loopback and a real Alertmanager.
@Suite(.serialized) struct WatchEndToEndTests {
    /// A leaking service alerts with the leaking function in its annotations (read back from
    /// Alertmanager), a heap leak alerts with the retaining function, healthy services never alert, a dead one shows as down and a slow one times out
    /// without holding back the others, and the alert resolves once the leak stops.
    @Test func fleetAlertsOnTheLeakWithItsFunctionAndResolves() async throws {
        let fleet = try await GoFixtures.build("watchfleet", toolchain: .current)
        _ = try LeakscopeBinary.path()
        try await ChildSlots.shared.withSlots(for: .timed) {
            let (alertmanager, amURL) = try await WatchHarness.startAlertmanager()
            defer { alertmanager.signal(SIGKILL) }
            // Leaks 300 goroutines/s from 3 s (after the default 8-sample warm-up) for 8 s, then stops.
            let (leaky, leakyURLs) = try await WatchHarness.startFleet(fleet, ["-leak-after", "3s", "-leak-rate", "300", "-leak-stop-after", "8s"])
            defer { leaky.signal(SIGKILL) }
            let (healthy, healthyURLs) = try await WatchHarness.startFleet(fleet, ["-metrics"])
            defer { healthy.signal(SIGKILL) }
            let (quiet, quietURLs) = try await WatchHarness.startFleet(fleet, [])
            defer { quiet.signal(SIGKILL) }
            let (dying, dyingURLs) = try await WatchHarness.startFleet(fleet, ["-die-after", "1500ms"])
            defer { dying.signal(SIGKILL) }
            let (slow, slowURLs) = try await WatchHarness.startFleet(fleet, ["-slow", "5s"])
            defer { slow.signal(SIGKILL) }
            // Retains 8 MB/s from 3 s on: a heap leak (served through /metrics).
            let (heapy, heapyURLs) = try await WatchHarness.startFleet(fleet, ["-metrics", "-heap-after", "3s", "-heap-rate", "8000000"])
            defer { heapy.signal(SIGKILL) }
            let heapyURL = heapyURLs[0]
            let (leakyURL, healthyURL, quietURL, dyingURL, slowURL) = (leakyURLs[0], healthyURLs[0], quietURLs[0], dyingURLs[0], slowURLs[0])

            let dir = try WatchHarness.folder("watch-e2e")
            let config = try WatchHarness.config(in: dir, """
            interval: 250ms
            alertmanager:
              url: \(amURL)
            poll:
              timeout: 1s
            capture:
              directory: \(dir.path)/captures
              snapshots: 2
              snapshot_interval: 1s   # over 4 MiB of heap growth between the two even on a loaded machine
              trace_seconds: 1
            targets:
              - url: \(leakyURL)
                labels: {service: orders, team: payments}
              - url: \(healthyURL)
                labels: {service: healthy-metrics}
              - url: \(quietURL)
                labels: {service: healthy-pprof}
              - url: \(dyingURL)
                labels: {service: dying}
              - url: \(slowURL)
                labels: {service: slow}
                timeout: 300ms
              - url: \(heapyURL)
                labels: {service: cache}
            """)
            let (watch, api) = try await WatchHarness.startWatch(config: config)
            defer { watch.signal(SIGKILL) }
            let started = ContinuousClock.now

            // The leak fires and its capture's diagnosis names the leaking function.
            let alert = try await WatchHarness.waitFor("a diagnosed alert on the leaking target", seconds: 60) { () -> [String: Any]? in
                try await WatchHarness.list(api, "/api/v1/alerts", "alerts").first {
                    $0["target"] as? String == leakyURL && $0["function"] != nil
                }
            }
            #expect((alert["function"] as? String)?.contains("main.sendResult") == true, "\(alert)")
            #expect((alert["location"] as? String)?.contains("main.go:") == true, "\(alert)")
            #expect(alert["hint"] as? String != nil)

            // Alertmanager received it with the contract's labels and annotations.
            let received = try await WatchHarness.waitFor("the alert in Alertmanager with its function", seconds: 20) { () -> [String: Any]? in
                let response = try await WatchHarness.get(amURL + "/api/v2/alerts")
                let alerts = (try response.json() as? [[String: Any]]) ?? []
                return alerts.first {
                    let labels = $0["labels"] as? [String: String] ?? [:]
                    let annotations = $0["annotations"] as? [String: String] ?? [:]
                    return labels["target"] == leakyURL && annotations["function"] != nil
                }
            }
            let labels = received["labels"] as? [String: String] ?? [:]
            let annotations = received["annotations"] as? [String: String] ?? [:]
            #expect(["GoroutineGrowth", "GoroutineLeak"].contains(labels["alertname"] ?? ""), "\(labels)")
            #expect(labels["service"] == "orders" && labels["team"] == "payments", "\(labels)")
            #expect(annotations["function"]?.contains("main.sendResult") == true, "\(annotations)")
            #expect(annotations["location"]?.contains("main.go:") == true)
            #expect(annotations["summary"]?.contains("goroutines") == true)
            #expect(annotations["hint"]?.isEmpty == false)
            // generatorURL lands on the capture's page, which the watcher serves.
            let generator = try #require(received["generatorURL"] as? String)
            #expect(generator.hasPrefix(api + "/captures/"), "\(generator)")
            let capturePage = try await WatchHarness.get(generator)
            #expect(capturePage.status == 200 && capturePage.text.contains("main.sendResult"), "\(capturePage.text.prefix(2000))")

            // The leak stopped 8 s after it began: every alert on it resolves, and Alertmanager drops it.
            _ = try await WatchHarness.waitFor("the leak's alerts to resolve", seconds: 60) { () -> Bool? in
                let alerts = try await WatchHarness.list(api, "/api/v1/alerts", "alerts").filter { $0["target"] as? String == leakyURL }
                return !alerts.isEmpty && alerts.allSatisfy { $0["state"] as? String == "resolved" } ? true : nil
            }
            _ = try await WatchHarness.waitFor("Alertmanager to see the alert resolved", seconds: 20) { () -> Bool? in
                let response = try await WatchHarness.get(amURL + "/api/v2/alerts?active=true")
                let alerts = (try response.json() as? [[String: Any]]) ?? []
                return alerts.contains { ($0["labels"] as? [String: String])?["target"] == leakyURL } ? nil : true
            }

            // The pages show it resolved: on the alerts page with how long it lasted, and on the target's chart.
            let resolvedPage = try await WatchHarness.get(api + "/alerts?state=resolved")
            #expect(resolvedPage.status == 200 && resolvedPage.text.contains(leakyURL) && resolvedPage.text.contains("lasted "),
                    "\(resolvedPage.text.prefix(3000))")
            #expect(!resolvedPage.text.contains("<span class=\"state firing\">"))
            let history = try await WatchHarness.get(api + "/target?url=" + (leakyURL.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            #expect(history.status == 200 && history.text.contains("class=\"alert-span\""), "\(history.text.prefix(2000))")

            // The heap leak fired the shipped heap rule, and its diagnosis names the retaining function.
            let heapAlert: [String: Any]
            do {
                heapAlert = try await WatchHarness.waitFor("a diagnosed heap alert", seconds: 90) { () -> [String: Any]? in
                    try await WatchHarness.list(api, "/api/v1/alerts", "alerts").first {
                        $0["target"] as? String == heapyURL && $0["function"] != nil
                    }
                }
            } catch {
                let log = (try? String(contentsOfFile: watch.stderrPath, encoding: .utf8)) ?? ""
                let captures = try await WatchHarness.get(api + "/api/v1/captures").text
                Issue.record("\(error)\nwatcher log:\n\(log)\ncaptures: \(captures.prefix(3000))")
                return
            }
            #expect(heapAlert["rule"] as? String == "HeapGrowth")
            #expect(heapAlert["function"] as? String == "main.cacheBlob", "\(heapAlert)")

            // Nothing else alerted; the dead and the slow target are down; the others kept being polled.
            let alerts = try await WatchHarness.list(api, "/api/v1/alerts", "alerts")
            #expect(alerts.allSatisfy { [leakyURL, heapyURL].contains($0["target"] as? String ?? "") }, "\(alerts)")
            let targets = try await WatchHarness.list(api, "/api/v1/targets", "targets")
            func target(_ url: String) -> [String: Any] { targets.first { $0["url"] as? String == url } ?? [:] }
            #expect(target(dyingURL)["health"] as? String == "down")
            #expect((target(dyingURL)["lastError"] as? String)?.contains("refused") == true, "\(target(dyingURL))")
            #expect(target(slowURL)["health"] as? String == "down")
            #expect((target(slowURL)["lastError"] as? String)?.contains("no answer within 300ms") == true, "\(target(slowURL))")
            #expect(target(healthyURL)["health"] as? String == "up")
            #expect(target(healthyURL)["source"] as? String == "metrics")
            #expect(target(quietURL)["source"] as? String == "pprof")
            let elapsed = Double((ContinuousClock.now - started).components.seconds)
            for url in [healthyURL, quietURL, leakyURL] {
                let series = try await WatchHarness.get(api + "/api/v1/series?target=\(url)&metric=goroutines")
                let points = ((try series.json() as? [String: Any])?["points"] as? [[String: Any]]) ?? []
                // 4 polls a second; a slow neighbour must not cost more than half of them.
                #expect(Double(points.count) >= elapsed * 4 * 0.5, "\(url): \(points.count) points in \(elapsed)s")
            }
            let heap = try await WatchHarness.get(api + "/api/v1/series?target=\(quietURL)&metric=heap_inuse_bytes")
            #expect(heap.text.contains("\"value\""))

            // /metrics is Prometheus text with the exposition Content-Type.
            let metrics = try await WatchHarness.get(api + "/metrics")
            #expect(metrics.contentType == "text/plain; version=0.0.4; charset=utf-8")
            #expect(metrics.text.contains("leakscope_target_up{target=\"\(dyingURL)\"} 0"))
            #expect(metrics.text.contains("leakscope_target_up{target=\"\(healthyURL)\"} 1"))
            #expect(metrics.text.contains("# TYPE leakscope_rule_state gauge"))
            #expect(metrics.text.contains("leakscope_captures_total 2"))

            // One capture per leaking target, each listed with its findings.
            let captures = try await WatchHarness.list(api, "/api/v1/captures", "captures")
            #expect(Set(captures.compactMap { $0["target"] as? String }) == [leakyURL, heapyURL])
            #expect(captures.count == 2)
            #expect(captures.allSatisfy { $0["status"] as? String == "diagnosed" && ($0["findings"] as? [Any])?.isEmpty == false })
            // Each capture set holds the execution trace `trace_seconds` asked for.
            for capture in captures {
                let directory = try #require(capture["directory"] as? String, "\(capture)")
                let trace = URL(fileURLWithPath: directory).appendingPathComponent("once/trace.out")
                let size = (try? FileManager.default.attributesOfItem(atPath: trace.path)[.size] as? Int) ?? 0
                #expect(size > 0, "\(trace.path)")
            }
        }
    }
}
