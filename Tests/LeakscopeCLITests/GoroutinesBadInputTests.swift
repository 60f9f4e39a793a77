import Foundation
import Testing
import LeakscopeTestSupport

/// `leakscope goroutines` on input that is not a dump: one line on stderr naming the file and
/// what is wrong, exit status 2, nothing on stdout, no usage text.
@Suite struct GoroutinesBadInputTests {
    private func write(_ bytes: [UInt8], name: String) throws -> String {
        let url = TestPaths.scratch
            .appendingPathComponent("leakscope-bad-\(getpid())-\(UUID().uuidString)-\(name)")
        try Data(bytes).write(to: url)
        return url.path
    }

    @Test func htmlPageIsOneLineError() async throws {
        let path = try write(Array("<html><body>sign in</body></html>\n".utf8), name: "page.html")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try await LeakscopeBinary.run(["goroutines", path])
        #expect(result.exitCode == 2)
        #expect(result.stdout.isEmpty)
        let lines = result.stderrText.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("leakscope: \(path): ") == true)
        #expect(result.stderrText.contains("no goroutine found"))
        #expect(!result.stderrText.contains("Usage"))
    }

    @Test func missingFileIsOneLineError() async throws {
        let path = TestPaths.scratch.appendingPathComponent("leakscope-no-such-\(UUID().uuidString).txt").path
        let result = try await LeakscopeBinary.run(["goroutines", path])
        #expect(result.exitCode == 2)
        #expect(result.stderrText.split(separator: "\n").count == 1)
        #expect(result.stderrText.contains(path))
    }

    /// The message quotes the first line with text, wherever it is and even without a newline.
    @Test func errorQuotesTheFirstLineWithText() async throws {
        let cases: [(input: String, quote: String)] = [
            ("hello", "(line 1: \"hello\")"),
            ("\n\nnot a dump at all", "(line 3: \"not a dump at all\")"),
            ("\n\n", "(only blank lines)"),
        ]
        for item in cases {
            let path = try write(Array(item.input.utf8), name: "notes.txt")
            defer { try? FileManager.default.removeItem(atPath: path) }
            let result = try await LeakscopeBinary.run(["goroutines", path])
            #expect(result.exitCode == 2)
            #expect(result.stderrText.hasSuffix(item.quote + "\n"), "\(result.stderrText)")
        }
    }
}
