import Foundation
import Testing
import LeakscopeTestSupport

/// Targets from a Prometheus file_sd file, re-read when the file changes.
@Suite(.serialized) struct WatchDiscoveryTests {
    @Test func fileSDChangesAddAndRemoveTargets() async throws {
        let fleet = try await GoFixtures.build("watchfleet", toolchain: .current)
        _ = try LeakscopeBinary.path()
        try await ChildSlots.shared.withSlots(for: .one) {
            let (first, firstURLs) = try await WatchHarness.startFleet(fleet, [])
            defer { first.signal(SIGKILL) }
            let (second, secondURLs) = try await WatchHarness.startFleet(fleet, ["-metrics"])
            defer { second.signal(SIGKILL) }
            let dir = try WatchHarness.folder("watch-sd")
            let sd = dir.appendingPathComponent("targets.json")
            func hostPort(_ url: String) -> String { String(url.dropFirst("http://".count)) }
            try #"[{"targets": ["\#(hostPort(firstURLs[0]))"], "labels": {"service": "one", "__meta_x": "dropped"}}]"#
                .write(to: sd, atomically: true, encoding: .utf8)
            let config = try WatchHarness.config(in: dir, """
            interval: 300ms
            file_sd: [\(sd.path)]
            """)
            let (watch, api) = try await WatchHarness.startWatch(config: config)
            defer { watch.signal(SIGKILL) }

            let one = try await WatchHarness.waitFor("the file_sd target up", seconds: 20) { () -> [[String: Any]]? in
                let targets = try await WatchHarness.list(api, "/api/v1/targets", "targets")
                return targets.first?["health"] as? String == "up" ? targets : nil
            }
            #expect(one.count == 1)
            #expect(one.first?["url"] as? String == firstURLs[0])
            #expect(one.first?["labels"] as? [String: String] == ["service": "one"])

            // Replace the first target by the second: within a few seconds only the second is polled.
            try #"- targets: ["\#(hostPort(secondURLs[0]))"]\#n  labels: {service: two}\#n"#
                .write(to: sd, atomically: true, encoding: .utf8)
            let two = try await WatchHarness.waitFor("the changed file_sd", seconds: 20) { () -> [[String: Any]]? in
                let targets = try await WatchHarness.list(api, "/api/v1/targets", "targets")
                return targets.count == 1 && targets.first?["url"] as? String == secondURLs[0]
                    && targets.first?["health"] as? String == "up" ? targets : nil
            }
            #expect(two.first?["labels"] as? [String: String] == ["service": "two"])
            #expect(two.first?["source"] as? String == "metrics")

            // A broken file keeps the last good targets and says why on standard error.
            try "[{targets: [".write(to: sd, atomically: true, encoding: .utf8)
            let logged = try await WatchHarness.waitFor("the file_sd error in the log", seconds: 20) { () -> String? in
                let log = (try? String(contentsOfFile: watch.stderrPath, encoding: .utf8)) ?? ""
                return log.split(separator: "\n").first { $0.contains("file_sd: \(sd.path):") }.map(String.init)
            }
            #expect(logged.contains("not valid JSON or YAML"))
            let kept = try await WatchHarness.list(api, "/api/v1/targets", "targets")
            #expect(kept.map { $0["url"] as? String } == [secondURLs[0]])
        }
    }
}

/// A real Prometheus (Debian's `prometheus`) scrapes the watcher's `/metrics`.
@Suite(.serialized) struct WatchPrometheusTests {
    @Test func prometheusScrapesTheWatchersMetrics() async throws {
        guard let prometheus = ProcessRunner.which("prometheus") else {
            throw WatchHarness.Failure(description: "prometheus is not installed (apt-get install prometheus)")
        }
        let fleet = try await GoFixtures.build("watchfleet", toolchain: .current)
        _ = try LeakscopeBinary.path()
        try await ChildSlots.shared.withSlots(for: .one) {
            let (service, urls) = try await WatchHarness.startFleet(fleet, ["-metrics"])
            defer { service.signal(SIGKILL) }
            let dir = try WatchHarness.folder("watch-prom")
            let config = try WatchHarness.config(in: dir, """
            interval: 300ms
            targets: [\(urls[0])]
            """)
            let (watch, api) = try await WatchHarness.startWatch(config: config)
            defer { watch.signal(SIGKILL) }

            let port = try WatchHarness.freePort()
            let promConfig = dir.appendingPathComponent("prometheus.yml")
            try """
            global: {scrape_interval: 1s, scrape_timeout: 1s}
            scrape_configs:
              - job_name: leakscope
                static_configs:
                  - targets: ["\(api.dropFirst("http://".count))"]
            """.write(to: promConfig, atomically: true, encoding: .utf8)
            let server = try ChildProcess(prometheus, [
                "--config.file=\(promConfig.path)", "--storage.tsdb.path=\(dir.path)/tsdb",
                "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
            ])
            defer { server.signal(SIGKILL) }
            let base = "http://127.0.0.1:\(port)"
            func query(_ expression: String) async throws -> [[String: Any]] {
                let encoded = expression.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? expression
                let response = try await WatchHarness.get(base + "/api/v1/query?query=" + encoded)
                let data = (try response.json() as? [String: Any])?["data"] as? [String: Any]
                return data?["result"] as? [[String: Any]] ?? []
            }
            // Prometheus scraped us successfully (up = 1) and stored the target's state and goroutines.
            let up = try await WatchHarness.waitFor("Prometheus to scrape the watcher", seconds: 60) { () -> [[String: Any]]? in
                if server.hasExited { throw WatchHarness.Failure(description: "prometheus exited") }
                let result = (try? await query("leakscope_target_up")) ?? []
                return result.isEmpty ? nil : result
            }
            let metric = up.first?["metric"] as? [String: String] ?? [:]
            #expect(metric["target"] == urls[0])
            #expect((up.first?["value"] as? [Any])?.last as? String == "1")
            let scrape = try await query("up{job=\"leakscope\"}")
            #expect((scrape.first?["value"] as? [Any])?.last as? String == "1")
            let goroutines = try await query("leakscope_target_goroutines")
            #expect(Double(((goroutines.first?["value"] as? [Any])?.last as? String) ?? "") ?? 0 > 0)
            let states = try await query("leakscope_rule_state")
            #expect(states.count == 3)
        }
    }
}
