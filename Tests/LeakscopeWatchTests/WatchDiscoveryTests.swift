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
            let dir = TestPaths.scratch.appendingPathComponent("watch-sd-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let sd = dir.appendingPathComponent("targets.json")
            func hostPort(_ url: String) -> String { String(url.dropFirst("http://".count)) }
            try #"[{"targets": ["\#(hostPort(firstURLs[0]))"], "labels": {"service": "one", "__meta_x": "dropped"}}]"#
                .write(to: sd, atomically: true, encoding: .utf8)
            let config = dir.appendingPathComponent("watch.yaml")
            try """
            interval: 300ms
            store: sqlite:\(dir.path)/watch.db
            listen: 127.0.0.1:0
            file_sd: [\(sd.path)]
            """.write(to: config, atomically: true, encoding: .utf8)
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
