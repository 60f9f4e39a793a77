import Foundation
import LeakscopeBytes
import LeakscopePprofDriver
import LeakscopeTestSupport
import Testing

/// The driver runs a report in-process, and URLs go through the fetcher it is given.
@Suite struct PprofDriverTests {
    /// Serves one file's bytes for every URL and records what was asked for.
    final class FileFetcher: ProfileFetching, @unchecked Sendable {
        let file: URL
        private let lock = NSLock()
        private var requested: [String] = []
        init(_ file: URL) { self.file = file }
        var urls: [String] { lock.withLock { requested } }
        func fetch(url: String, timeout: Duration, verifyCertificates: Bool) async throws(OneLineError) -> [UInt8] {
            lock.withLock { requested.append(url) }
            guard let data = try? Data(contentsOf: file) else { throw OneLineError("\(url): cannot read \(file.path)") }
            return [UInt8](data)
        }
    }

    @Test func inProcessReportOverAFetcherMatchesTheCommandLine() async throws {
        let file = TestPaths.pprofCorpus.appendingPathComponent("internal/report/testdata/sample.cpu")
        let fetcher = FileFetcher(file)
        let result = try await PprofDriver(fetcher: fetcher).report(["-top", "-nodecount=5", "http://127.0.0.1:1/debug/pprof/profile"])
        #expect(fetcher.urls == ["http://127.0.0.1:1/debug/pprof/profile"])
        #expect(result.fetchedRemotely)
        let cli = try await LeakscopeBinary.run(["pprof", "-top", "-nodecount=5", file.path])
        #expect(cli.exitCode == 0, "\(cli.summary)")
        #expect(result.bytes == cli.stdout)
    }

    @Test func badFlagIsOneLine() async {
        do {
            _ = try await PprofDriver(fetcher: FileFetcher(URL(fileURLWithPath: "/nonexistent"))).report(["-nosuchflag", "x.pb.gz"])
            Issue.record("an unknown flag was accepted")
        } catch {
            #expect(error.message == "flag provided but not defined: -nosuchflag")
        }
    }
}
