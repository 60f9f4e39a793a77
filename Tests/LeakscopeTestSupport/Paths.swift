import Foundation

/// Where test inputs live, relative to this source file (tests run from any directory).
public enum TestPaths {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// `../shared/corpus/google-pprof` beside the package root.
    public static let pprofCorpus: URL = packageRoot
        .deletingLastPathComponent()
        .appendingPathComponent("shared/corpus/google-pprof")

    /// `Tests/Fixtures/go`.
    public static let goFixtures: URL = packageRoot.appendingPathComponent("Tests/Fixtures/go")
}
