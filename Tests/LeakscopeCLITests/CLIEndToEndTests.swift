import Testing
import Foundation
import LeakscopeTestSupport

/// The built `leakscope` binary run as a person runs it: exit codes, stdout versus stderr, `-output`,
/// one-line errors, several sources, a leading binary argument. The byte-for-byte sweep against
/// `go tool pprof` lives in the oracle tests; here pprof is consulted only where the CLI itself
/// decides something (merging several sources, ignoring the binary).
@Suite struct CLIEndToEndTests {
    static let examples = TestPaths.packageRoot.appendingPathComponent("examples/profiles")
    static let heap1 = examples.appendingPathComponent("heap-1.pb.gz").path
    static let heap2 = examples.appendingPathComponent("heap-2.pb.gz").path
    static let cpu = examples.appendingPathComponent("cpu.pb.gz").path

    private func scratch(_ name: String) -> URL {
        TestPaths.scratch.appendingPathComponent("leakscope-cli-\(getpid())-\(UUID().uuidString)-\(name)")
    }

    /// stderr holds exactly one line, `leakscope: <message>`, and nothing went to stdout.
    private func expectOneLineFailure(_ result: ProcessResult, _ message: String,
                                      sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.exitCode == 2, sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(result.stderrText == "leakscope: \(message)\n", sourceLocation: sourceLocation)
    }

    @Test func bundledExampleMatchesGoToolPprof() async throws {
        let ours = try await LeakscopeBinary.run(["pprof", "-top", Self.heap2])
        let pprof = try await GoPprof.run(["-top", Self.heap2])
        #expect(ours.exitCode == 0)
        #expect(ours.stderr.isEmpty)
        #expect(ours.stdoutText == pprof.stdoutText)
        #expect(ours.stdoutText.contains("main.remember"))
    }

    /// `-list` reads sources from the current directory (pprof's default search path) and names a
    /// missing file exactly as pprof does; `-source_path` is honoured the same way.
    @Test func listMatchesGoToolPprof() async throws {
        // The example was generated in another checkout: its absolute file names are missing here
        // until -trim_path cuts that checkout's root and -source_path names this one.
        for extra in [[], ["-trim_path=/work/wt/cli", "-source_path=/nonexistent:\(TestPaths.packageRoot.path)"]] {
            let arguments = ["-list=main\\."] + extra + [Self.heap2]
            let ours = try await LeakscopeBinary.run(["pprof"] + arguments)
            let pprof = try await GoPprof.run(arguments)
            #expect(ours.exitCode == 0, "\(ours.stderrText)")
            #expect(ours.stdoutText == pprof.stdoutText)
            #expect(ours.stdoutText.contains("ROUTINE ======================== main."))
        }
    }

    @Test func severalSourcesAreMergedLikePprof() async throws {
        let ours = try await LeakscopeBinary.run(["pprof", "-top", "-sample_index=alloc_space", Self.heap1, Self.heap2])
        let pprof = try await GoPprof.run(["-top", "-sample_index=alloc_space", Self.heap1, Self.heap2])
        #expect(ours.exitCode == 0)
        #expect(ours.stdoutText == pprof.stdoutText)
    }

    @Test func outputFlagWritesTheFileAndSaysSo() async throws {
        let path = scratch("top.txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let toFile = try await LeakscopeBinary.run(["pprof", "-top", "-output", path, Self.cpu])
        let toStdout = try await LeakscopeBinary.run(["pprof", "-top", Self.cpu])
        #expect(toFile.exitCode == 0)
        #expect(toFile.stdout.isEmpty)
        #expect(toFile.stderrText == "Generating report in \(path)\n")
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == toStdout.stdout)
    }

    @Test func protoOutputIsAProfileThatReadsBackTheSame() async throws {
        let path = scratch("heap.pb.gz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try await LeakscopeBinary.run(["pprof", "-proto", "-output=\(path)", Self.heap1])
        #expect(result.exitCode == 0)
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(written.starts(with: [0x1f, 0x8b]))
        let again = try await GoPprof.run(["-raw", path])
        let original = try await GoPprof.run(["-raw", Self.heap1])
        #expect(again.stdoutText == original.stdoutText)
    }

    @Test func flameWritesASelfContainedPage() async throws {
        let path = scratch("flame.html").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try await LeakscopeBinary.run(["pprof", "-flame", path, "-diff_base", Self.heap1, Self.heap2])
        #expect(result.exitCode == 0)
        #expect(result.stdout.isEmpty)
        let page = try String(contentsOfFile: path, encoding: .utf8)
        #expect(page.lowercased().hasPrefix("<!doctype html"))
        #expect(!page.contains("<script src="))
    }

    @Test func leadingExecutableIsIgnoredWithANote() async throws {
        let binary = try LeakscopeBinary.path()
        let withBinary = try await LeakscopeBinary.run(["pprof", "-top", binary, Self.heap2])
        let without = try await LeakscopeBinary.run(["pprof", "-top", Self.heap2])
        #expect(withBinary.exitCode == 0)
        #expect(withBinary.stdout == without.stdout)
        #expect(withBinary.stderrText == "leakscope: ignoring binary \(binary): reports use the symbols the profile carries\n")
    }

    @Test func missingFile() async throws {
        let path = scratch("absent.pb.gz").path
        await expectOneLineFailure(try LeakscopeBinary.run(["pprof", "-top", path]), "\(path): open: no such file or directory")
    }

    @Test func truncatedProfileNamesFileAndByte() async throws {
        let path = scratch("truncated.pb.gz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.heap2)))
        try Data(bytes.prefix(bytes.count / 2)).write(to: URL(fileURLWithPath: path))
        let result = try await LeakscopeBinary.run(["pprof", "-top", path])
        #expect(result.exitCode == 2)
        #expect(result.stdout.isEmpty)
        let lines = result.stderrText.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty, "\(result.stderrText)")
        #expect(lines[0].hasPrefix("leakscope: \(path): byte "), "\(result.stderrText)")
    }

    @Test func htmlSavedAsAProfile() async throws {
        let path = scratch("login.html").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "<!DOCTYPE html><html><body>Sign in</body></html>".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await LeakscopeBinary.run(["pprof", "-top", path])
        #expect(result.exitCode == 2)
        #expect(result.stderrText.hasPrefix("leakscope: \(path): "))
        #expect(result.stderrText.contains("HTML"))
        #expect(result.stderrText.filter { $0 == "\n" }.count == 1)
    }

    @Test func unwritableOutput() async throws {
        let path = scratch("no-such-dir").appendingPathComponent("out.txt").path
        let result = try await LeakscopeBinary.run(["pprof", "-top", "-output", path, Self.cpu])
        #expect(result.exitCode == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderrText == "Generating report in \(path)\nleakscope: \(path): create: no such file or directory\n")
    }

    @Test func badSampleIndexIsPprofsMessage() async throws {
        let ours = try await LeakscopeBinary.run(["pprof", "-top", "-sample_index=nosuch", Self.heap1])
        let pprof = try await GoPprof.run(["-top", "-sample_index=nosuch", Self.heap1])
        expectOneLineFailure(ours, pprof.stderrText.split(separator: "\n").first.map(String.init) ?? "")
    }

    @Test func unsupportedViewsAreRefusedOnOneLine() async throws {
        for flag in ["-callgrind", "-eog", "-disasm=main", "-weblist=main"] {
            let result = try await LeakscopeBinary.run(["pprof", flag, Self.cpu])
            #expect(result.exitCode == 2, "\(flag)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderrText.hasPrefix("leakscope: -"), "\(flag): \(result.stderrText)")
            #expect(result.stderrText.filter { $0 == "\n" }.count == 1, "\(flag): \(result.stderrText)")
        }
    }
}
