import Foundation

/// Where test inputs live, relative to this source file (tests run from any directory).
public enum TestPaths {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// `Tests/Fixtures/google-pprof`: google/pprof's test data (see its SOURCE.md).
    public static let pprofCorpus: URL = packageRoot.appendingPathComponent("Tests/Fixtures/google-pprof")

    /// `Tests/Fixtures/go`.
    public static let goFixtures: URL = packageRoot.appendingPathComponent("Tests/Fixtures/go")
}
