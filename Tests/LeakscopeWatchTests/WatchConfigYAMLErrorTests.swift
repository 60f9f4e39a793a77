import Foundation
import Testing
import LeakscopeWatch
import LeakscopeTestSupport

/// A YAML syntax error names the line with the mistake, not the end of the input where libyaml
/// noticed it (an unclosed `[` or quote), in the parser and in `leakscope watch --check`.
struct WatchConfigYAMLErrorTests {
    func line(_ text: String) -> Int? {
        do {
            _ = try WatchConfigParser.parse(text, file: "watch.yaml")
            return nil
        } catch {
            return error.line
        }
    }

    @Test func unclosedConstructsBlameTheLineTheyOpenOn() {
        #expect(line("targets: [http://127.0.0.1:6060\n") == 1)
        #expect(line("targets: [http://127.0.0.1:6060") == 1)
        #expect(line("interval: \"15s\n") == 1)
        #expect(line("interval: 15s\ntargets: [http://127.0.0.1:6060,\n  http://127.0.0.1:6061\n\n\n") == 2)
        // A mistake in the middle keeps libyaml's own line.
        #expect(line("interval: 15s\nlisten: a: b\nstore: sqlite:x.db\n") == 2)
    }

    @Test func watchCheckPrintsTheLineOfTheMistake() async throws {
        let dir = TestPaths.scratch.appendingPathComponent("yaml-line-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("watch.yaml")
        try "targets: [http://127.0.0.1:6060\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try await ProcessRunner.run(try LeakscopeBinary.path(), ["watch", "--config", file.path, "--check"])
        #expect(result.exitCode == 2)
        #expect(result.stderrText.contains("watch.yaml:1:"), "\(result.stderrText)")
        #expect(result.stderrText.split(separator: "\n").count == 1, "\(result.stderrText)")
    }
}
