import Foundation
import Testing
import LeakscopeGoSource
import LeakscopeLint
import LeakscopeTestSupport

/// Lints one Go file written from `source` into a scratch package directory of its own: for
/// tests of framework shapes (cobra, ffcli, fx) whose imports need not resolve, since the linter
/// reads only the source.
func lintSource(_ source: String, directory: String, checks: [Check] = [Checks.abandonedSend]) throws -> [LintFinding] {
    let file = TestPaths.scratch.appendingPathComponent("\(directory)/a.go")
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try source.write(to: file, atomically: true, encoding: .utf8)
    let loaded = PackageLoader.load([file.deletingLastPathComponent().path], context: BuildContext())
    #expect(loaded.failures.isEmpty)
    return Linter(checks: checks).run(loaded.packages)
}
