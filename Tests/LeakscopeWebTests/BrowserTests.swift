import Foundation
import Testing
import LeakscopeTestSupport

/// The web UI in a real browser: headless Chromium driven by selenium
/// (`Tests/Fixtures/web/browser.py`) loads every view, searches, refines, switches the sample
/// type, zooms, resets with Esc, sorts and walks the top table, and fails on any console error.
/// `.ci/run` installs chromium, chromium-driver and selenium.
@Suite(.serialized) struct BrowserTests {
    @Test func everyViewWorksInChromium() async throws {
        let allocs = try await GoFixtures.output("profiles", toolchain: .current).appendingPathComponent("allocs.pb.gz").path
        let server = try await RunningServer.start(["pprof", "-http=127.0.0.1:0", "-no_browser", allocs])
        defer { Task { await server.stop() } }
        let script = TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/web/browser.py").path
        // LEAKSCOPE_WEB_SHOTS keeps the screenshots somewhere to look at; by default they go with the scratch folder.
        let shots = ProcessInfo.processInfo.environment["LEAKSCOPE_WEB_SHOTS"]
            ?? TestPaths.scratch.appendingPathComponent("web-screenshots").path
        var environment = ProcessInfo.processInfo.environment
        environment["SE_OFFLINE"] = "true"
        environment["SE_AVOID_STATS"] = "true"
        let python = try #require(ProcessRunner.which("python3"), "python3 is needed for the browser test")
        let result = try await ProcessRunner.run(python, [script, server.base, shots], environment: environment, slot: .timed)
        await server.stop()
        #expect(result.succeeded, "\(result.stdoutText)\n\(result.stderrText.suffix(3000))")
        #expect(result.stdoutText.contains("all checks passed"))
        for shot in ["flame.png", "top.png", "peek.png", "flame-search.png"] {
            #expect(FileManager.default.fileExists(atPath: shots + "/" + shot), "screenshot \(shot)")
        }
    }
}
