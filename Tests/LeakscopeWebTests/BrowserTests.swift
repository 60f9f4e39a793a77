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
        let result = try await BrowserScript.run("browser.py", against: server)
        let shots = BrowserScript.shots
        await server.stop()
        #expect(result.succeeded, "\(result.stdoutText)\n\(result.stderrText.suffix(3000))")
        #expect(result.stdoutText.contains("all checks passed"))
        for shot in ["flame.png", "top.png", "peek.png", "flame-search.png"] {
            #expect(FileManager.default.fileExists(atPath: shots + "/" + shot), "screenshot \(shot)")
        }
    }
}
