import Foundation
#if canImport(Glibc)
import Glibc
#endif

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

    /// This test process's scratch folder, `$TMPDIR/leakscope-tests-PID`: every file a test writes
    /// goes under it. It is removed when the process exits, and folders of test processes that died
    /// without exiting are removed when the next one starts.
    public static let scratch: URL = {
        let files = FileManager.default
        let temporary = files.temporaryDirectory
        let prefix = "leakscope-tests-"
        for name in (try? files.contentsOfDirectory(atPath: temporary.path)) ?? [] where name.hasPrefix(prefix) {
            let pid = name.dropFirst(prefix.count)
            if !files.fileExists(atPath: "/proc/\(pid)") { try? files.removeItem(at: temporary.appendingPathComponent(name)) }
        }
        let url = temporary.appendingPathComponent(prefix + "\(getpid())")
        try? files.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: TestPaths.scratch) }
        return url
    }()
}
