import Foundation
import Testing
import LeakscopeTestSupport

/// The watcher's web pages against a real watcher polling real Go services: in headless
/// Chromium (`Tests/Fixtures/web/watch_browser.py`: every page loads without console errors,
/// the leaking target shows its alert and function, a capture opens its diagnose report and
/// profile views, sparklines hold the API's latest samples), and the token rules off loopback.
@Suite(.serialized) struct WatchPagesTests {
    @Test func pagesWorkInChromiumAgainstALeakingFleet() async throws {
        let fleet = try await GoFixtures.build("watchfleet", toolchain: .current)
        _ = try LeakscopeBinary.path()
        let python = try #require(ProcessRunner.which("python3"), "python3 is needed for the browser test")
        try await ChildSlots.shared.withSlots(for: .all) {
            // Leaks 100 goroutines/s from 3 s on (after the default 8-sample warm-up) and keeps leaking.
            let (leaky, leakyURLs) = try await WatchHarness.startFleet(fleet, ["-leak-after", "3s", "-leak-rate", "100"])
            defer { leaky.signal(SIGKILL) }
            let (healthy, healthyURLs) = try await WatchHarness.startFleet(fleet, ["-metrics"])
            defer { healthy.signal(SIGKILL) }
            let (leakyURL, healthyURL) = (leakyURLs[0], healthyURLs[0])
            let dir = try WatchHarness.folder("watch-pages")
            let config = try WatchHarness.config(in: dir, """
            interval: 250ms
            poll:
              timeout: 1s
            capture:
              directory: \(dir.path)/captures
              snapshots: 2
              snapshot_interval: 500ms
            targets:
              - url: \(leakyURL)
                labels: {service: orders}
              - url: \(healthyURL)
                labels: {service: healthy}
            """)
            let (watch, base) = try await WatchHarness.startWatch(config: config)
            defer { watch.signal(SIGKILL) }
            _ = try await WatchHarness.waitFor("a diagnosed alert on the leaking target", seconds: 90) { () -> Bool? in
                try await WatchHarness.list(base, "/api/v1/alerts", "alerts").contains {
                    $0["target"] as? String == leakyURL && ($0["function"] as? String)?.contains("main.sendResult") == true
                } ? true : nil
            }
            // Past 60 polls, so the sparklines show their cap rather than every sample.
            _ = try await WatchHarness.waitFor("70 samples of the healthy target", seconds: 60) { () -> Bool? in
                let series = try await WatchHarness.get(base + "/api/v1/series?target=\(healthyURL)&metric=goroutines")
                let points = ((try series.json() as? [String: Any])?["points"] as? [Any]) ?? []
                return points.count >= 70 ? true : nil
            }

            let script = TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/web/watch_browser.py").path
            let shots = ProcessInfo.processInfo.environment["LEAKSCOPE_WEB_SHOTS"]
                ?? TestPaths.scratch.appendingPathComponent("web-screenshots").path
            var environment = ProcessInfo.processInfo.environment
            environment["SE_OFFLINE"] = "true"
            environment["SE_AVOID_STATS"] = "true"
            let result = try await ProcessRunner.run(python, [script, base, leakyURL, healthyURL, "main.sendResult", shots],
                                                     environment: environment, slot: .alreadyHeld)
            #expect(result.succeeded, "\(result.stdoutText)\n\(result.stderrText.suffix(3000))")
            #expect(result.stdoutText.contains("all checks passed"), "\(result.stdoutText)")
            for shot in ["watch-fleet.png", "watch-target.png", "watch-alerts.png", "watch-capture.png", "watch-report.png"] {
                #expect(FileManager.default.fileExists(atPath: shots + "/" + shot), "screenshot \(shot)")
            }
        }
    }

    /// Off loopback every page and API path needs the token: a program sends `Authorization:
    /// Bearer`, a browser opens a page once with `?token=` and keeps it in a cookie. The probes'
    /// `/healthz` and `/readyz` answer without it.
    @Test func pagesNeedTheTokenOffLoopback() async throws {
        let fleet = try await GoFixtures.build("watchfleet", toolchain: .current)
        _ = try LeakscopeBinary.path()
        try await ChildSlots.shared.withSlots(for: .timed) {
            let (service, urls) = try await WatchHarness.startFleet(fleet, [])
            defer { service.signal(SIGKILL) }
            let dir = try WatchHarness.folder("watch-token")
            let token = "s3cret-token-for-the-pages"
            let file = dir.appendingPathComponent("watch.yaml")
            try """
            store: sqlite:\(dir.path)/watch.db
            listen: 0.0.0.0:0
            token: \(token)
            interval: 250ms
            targets: [\(urls[0])]
            """.write(to: file, atomically: true, encoding: .utf8)
            let (watch, announced) = try await WatchHarness.startWatch(config: file)
            defer { watch.signal(SIGKILL) }
            let base = announced.replacingOccurrences(of: "0.0.0.0", with: "127.0.0.1")

            for path in ["/", "/alerts", "/captures", "/target?url=\(urls[0])", "/captures/1/files/", "/api/v1/targets", "/metrics"] {
                #expect(try await WatchHarness.get(base + path).status == 401, "\(path) without the token")
                #expect(try await WatchHarness.get(base + path, headers: [("Authorization", "Bearer wrong-token-wrong-token")]).status == 401)
            }
            #expect(try await WatchHarness.get(base + "/healthz").status == 200)
            #expect(try await WatchHarness.get(base + "/readyz").status == 200)
            #expect(try await WatchHarness.get(base + "/api/v1/targets", headers: [("Authorization", "Bearer \(token)")]).status == 200)

            // A browser: ?token= once, then the cookie.
            let first = try await WatchHarness.get(base + "/alerts?state=firing&token=\(token)")
            #expect(first.status == 303)
            #expect(first.headers["location"] == "/alerts?state=firing")
            let cookie = try #require(first.headers["set-cookie"])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            let pair = String(cookie.split(separator: ";")[0])
            let page = try await WatchHarness.get(base + "/alerts?state=firing", headers: [("Cookie", pair)])
            #expect(page.status == 200 && page.text.contains("<h1>Alerts</h1>"))
            let fleetPage = try await WatchHarness.get(base + "/", headers: [("Cookie", pair)])
            #expect(fleetPage.status == 200 && fleetPage.text.contains(urls[0]))
            #expect(try await WatchHarness.get(base + "/?token=wrong-token-wrong-token").status == 401)
        }
    }
}
