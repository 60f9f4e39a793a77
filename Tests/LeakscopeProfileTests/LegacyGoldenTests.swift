import Foundation
import Testing
import LeakscopeTestSupport
@testable import LeakscopeProfile

/// Every legacy input in google/pprof's `profile/testdata` must parse, and our
/// `pprofString` must equal the `.string` dump pprof's `Profile.String()` produced.
@Suite struct LegacyGoldenTests {
    static let inputs = [
        "go.crc32.cpu", "go.godoc.thread", "gobench.cpu", "gobench.heap", "cppbench.cpu", "cppbench.heap",
        "cppbench.contention", "cppbench.growth", "cppbench.thread", "cppbench.thread.all", "cppbench.thread.none",
        "java.cpu", "java.heap", "java.contention",
    ]

    static let directory = TestPaths.pprofCorpus.appendingPathComponent("profile/testdata")

    @Test(arguments: inputs)
    func matchesPprofDump(_ name: String) throws {
        let input = try Data(contentsOf: Self.directory.appendingPathComponent(name))
        let golden = try String(contentsOf: Self.directory.appendingPathComponent(name + ".string"), encoding: .utf8)
        let profile = try LegacyProfileParser.parse([UInt8](input))
        let ours = profile.pprofString
        if ours != golden {
            let a = ours.split(separator: "\n", omittingEmptySubsequences: false)
            let b = golden.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }
            Issue.record("first difference at line \((first?.offset ?? min(a.count, b.count)) + 1): ours `\(first?.element.0 ?? "")` vs pprof `\(first?.element.1 ?? "")`")
        }
        #expect(ours == golden)
    }

    /// pprof's own test re-encodes each profile and reads it back: the dump must not change.
    @Test(arguments: inputs)
    func survivesProtoRoundTrip(_ name: String) throws {
        let input = try Data(contentsOf: Self.directory.appendingPathComponent(name))
        let golden = try String(contentsOf: Self.directory.appendingPathComponent(name + ".string"), encoding: .utf8)
        let profile = try Profile.parse([UInt8](input))
        let reread = try Profile.parse(profile.encodeGzipped())
        #expect(reread.pprofString == golden)
        #expect(reread.dropFrames == profile.dropFrames)
    }

    /// The corpus must really be there: an empty list would make the test above vacuous.
    @Test func corpusHasEveryInput() {
        for name in Self.inputs {
            #expect(FileManager.default.fileExists(atPath: Self.directory.appendingPathComponent(name).path))
            #expect(FileManager.default.fileExists(atPath: Self.directory.appendingPathComponent(name + ".string").path))
        }
    }
}
