import Foundation
import Testing
import LeakscopeTestSupport

/// `leakscope goroutines` on input that is not a dump: one line on stderr naming the file and
/// what is wrong, exit status 2, nothing on stdout, no usage text.
@Suite struct GoroutinesBadInputTests {
    private func write(_ bytes: [UInt8], name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("leakscope-bad-\(getpid())-\(UUID().uuidString)-\(name)")
        try Data(bytes).write(to: url)
        return url.path
    }

    @Test func htmlPageIsOneLineError() throws {
        let path = try write(Array("<html><body>sign in</body></html>\n".utf8), name: "page.html")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try LeakscopeBinary.run(["goroutines", path])
        #expect(result.exitCode == 2)
        #expect(result.stdout.isEmpty)
        let lines = result.stderrText.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("leakscope: \(path): ") == true)
        #expect(result.stderrText.contains("no goroutine found"))
        #expect(!result.stderrText.contains("Usage"))
    }

    @Test func missingFileIsOneLineError() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("leakscope-no-such-\(UUID().uuidString).txt").path
        let result = try LeakscopeBinary.run(["goroutines", path])
        #expect(result.exitCode == 2)
        #expect(result.stderrText.split(separator: "\n").count == 1)
        #expect(result.stderrText.contains(path))
    }
}
