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

/// Writes `files` (path → text) under a scratch `folder`, loads its packages (`packages` of
/// them, or the test fails) and streams them through one `LintSession` with `checks`, in
/// reverse order when `reversed`: for rules that look across packages.
func lintModule(_ files: [String: String], folder: String, packages: Int, checks: [Check],
                reversed: Bool = false, tests: Bool = false) throws -> [LintFinding] {
    let root = TestPaths.scratch.appendingPathComponent(folder)
    for (path, text) in files {
        let file = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
    }
    let loaded = PackageLoader.load([root.path + "/..."], context: BuildContext(tests: tests))
    #expect(loaded.failures.isEmpty && loaded.packages.count == packages)
    var session = LintSession(Linter(checks: checks))
    for package in reversed ? loaded.packages.reversed() : loaded.packages { session.add(package) }
    return session.finish()
}
