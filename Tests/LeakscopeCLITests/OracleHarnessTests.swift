import Foundation
import Testing
import LeakscopeTestSupport

// The machinery of the oracle sweep: inputs, cases, running `go tool pprof` and `leakscope pprof`
// on the same arguments and comparing what they print. The case list is in OracleSweepTests.swift.

/// One profile file given to both tools.
enum OracleInput: Sendable, Hashable, CustomStringConvertible {
    /// A file under `Tests/Fixtures/google-pprof`.
    case corpus(String)
    /// A file written by `Tests/Fixtures/go/profiles` built with the given toolchain.
    case fixture(GoToolchain.Kind, String)
    /// A committed profile of a real Go program under `examples/profiles` (fixed bytes, unlike fixtures).
    case example(String)

    var description: String {
        switch self {
        case let .corpus(path): return (path as NSString).lastPathComponent
        case let .fixture(kind, file): return "\(kind.rawValue)/\(file)"
        case let .example(file): return "examples/\(file)"
        }
    }

    func url() async throws -> URL {
        switch self {
        case let .corpus(path):
            return TestPaths.pprofCorpus.appendingPathComponent(path)
        case let .fixture(kind, file):
            return try await GoFixtures.output("profiles", toolchain: kind).appendingPathComponent(file)
        case let .example(file):
            return TestPaths.packageRoot.appendingPathComponent("examples/profiles").appendingPathComponent(file)
        }
    }
}

/// One argument of a case: a literal flag or a profile path resolved at run time.
enum OracleArgument: Sendable, Hashable, CustomStringConvertible {
    case flag(String)
    case input(OracleInput)

    var description: String {
        switch self {
        case let .flag(text): return text
        case let .input(input): return input.description
        }
    }
}

/// How the two outputs are compared.
enum OracleComparison: Sendable {
    /// stdout byte for byte.
    case text
    /// stdout is a gzipped profile: compare the decompressed bytes.
    case gzippedBytes
    /// stdout is a gzipped profile: decode both with `go tool pprof -raw` and compare that text.
    case decoded
    /// `-call_tree -dot`: byte for byte, or else equal up to the order pprof leaves to chance
    /// (`CallTreeDotForm`).
    case callTreeDot
}

/// A command line run by both tools: `go tool pprof -symbolize=none ARGS` and `leakscope pprof ARGS`.
struct OracleCase: Sendable, CustomStringConvertible {
    let arguments: [OracleArgument]

    init(_ flags: [String], _ inputs: [OracleInput]) {
        arguments = flags.map(OracleArgument.flag) + inputs.map(OracleArgument.input)
    }

    init(arguments: [OracleArgument]) { self.arguments = arguments }

    var description: String { arguments.map(\.description).joined(separator: " ") }

    var comparison: OracleComparison {
        let flags = Set(arguments.compactMap { if case let .flag(f) = $0 { return f } else { return nil } })
        if flags.contains("-topproto") { return .decoded }
        if flags.contains("-call_tree") && flags.contains("-dot") { return .callTreeDot }
        if flags.contains("-proto") { return .gzippedBytes }
        return .text
    }

    func resolvedArguments() async throws -> [String] {
        var resolved: [String] = []
        for argument in arguments {
            switch argument {
            case let .flag(text): resolved.append(text)
            case let .input(input): resolved.append(try await input.url().path)
            }
        }
        return resolved
    }
}

/// Runs a case through both tools and reports any difference as a test failure with a diff.
enum Oracle {
    static func check(_ oracleCase: OracleCase, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let arguments = try await oracleCase.resolvedArguments()
        let expected = try await GoPprof.run(["-symbolize=none"] + arguments)
        let actual = try await LeakscopeBinary.run(["pprof"] + arguments)
        if !expected.succeeded {
            // pprof refuses (say, `-peek` with no match): leakscope must refuse too, printing no report.
            #expect(!actual.succeeded, "go tool pprof refused but leakscope succeeded; pprof said: \(expected.summary)",
                    sourceLocation: sourceLocation)
            if actual.stdout != expected.stdout {
                Issue.record("stdout differs on refusal:\n\(await unifiedDiff(expected.stdout, actual.stdout))",
                             sourceLocation: sourceLocation)
            }
            return
        }
        try #require(actual.succeeded, "leakscope failed: \(actual.summary)", sourceLocation: sourceLocation)

        let (want, got): ([UInt8], [UInt8])
        switch oracleCase.comparison {
        case .text:
            (want, got) = (expected.stdout, actual.stdout)
        case .callTreeDot:
            if expected.stdout != actual.stdout {
                try await checkCallTree(expected.stdout, actual.stdout, arguments: arguments, oracleCase,
                                        sourceLocation: sourceLocation)
            }
            return
        case .gzippedBytes:
            want = try await gunzip(expected.stdout, what: "pprof's output")
            got = try await gunzip(actual.stdout, what: "leakscope's output")
        case .decoded:
            want = try await decodeWithPprof(expected.stdout, what: "pprof's output")
            got = try await decodeWithPprof(actual.stdout, what: "leakscope's output")
        }
        if want != got {
            Issue.record("output differs from go tool pprof for `\(oracleCase)`:\n\(await unifiedDiff(want, got))",
                         sourceLocation: sourceLocation)
        }
    }

    /// A `-call_tree -dot` output that differs in bytes must have pprof's `CallTreeDotForm`. When it
    /// does not, pprof runs again (up to ten times, stopping as soon as the question is settled): a run
    /// with our form passes; runs that differ among themselves show the `-nodecount` cut falling among
    /// tied nodes, where pprof keeps a random choice of them, and then the legend and the kept nodes'
    /// names and flat weights must agree. Ten runs, not three: when one tie order is much likelier than
    /// the others, three runs of pprof often all show it while ours shows another (seen once in CI).
    static func checkCallTree(_ expected: [UInt8], _ actual: [UInt8], arguments: [String], _ oracleCase: OracleCase,
                              sourceLocation: SourceLocation) async throws {
        let ours = CallTreeDotForm(actual)
        var forms = [CallTreeDotForm(expected)]
        func tolerated() -> Bool {
            if forms.contains(ours) { return true }
            let unstable = forms.contains { $0.sequence != forms[0].sequence || $0.forest != forms[0].forest }
            return unstable && forms.allSatisfy({ $0.legend == forms[0].legend && $0.nodeKeys == forms[0].nodeKeys })
                && ours.legend == forms[0].legend && ours.nodeKeys == forms[0].nodeKeys
        }
        for _ in 0..<10 where !tolerated() {
            let again = try await GoPprof.run(["-symbolize=none"] + arguments)
            try #require(again.succeeded, "go tool pprof failed on a rerun: \(again.summary)", sourceLocation: sourceLocation)
            forms.append(CallTreeDotForm(again.stdout))
        }
        if tolerated() { return }
        let diff = await unifiedDiff(expected, actual)
        let distinct = Set(forms.map { $0.sequence.joined(separator: "\n") }).count
        let runs = "\(forms.count) pprof runs, \(distinct) distinct"
        Issue.record("output differs from go tool pprof for `\(oracleCase)` beyond pprof's own tie order (\(runs)):\n\(diff)",
                     sourceLocation: sourceLocation)
    }

    /// `gzip -dc`; a leakscope output that is not valid gzip is a failure.
    static func gunzip(_ bytes: [UInt8], what: String) async throws -> [UInt8] {
        let file = try scratchFile(bytes)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await ProcessRunner.run(try tool("gzip"), ["-dc"], stdin: file)
        try #require(result.succeeded, "\(what) is not gzip: \(result.summary)")
        return result.stdout
    }

    /// The profile as `go tool pprof -raw` prints it, so two encodings of one profile compare equal.
    static func decodeWithPprof(_ bytes: [UInt8], what: String) async throws -> [UInt8] {
        let file = try scratchFile(bytes)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await GoPprof.run(["-symbolize=none", "-raw", file.path])
        try #require(result.succeeded, "go tool pprof cannot read \(what): \(result.summary)")
        return result.stdout
    }

    /// A `diff -u` of expected (pprof) against actual (leakscope), cut to a readable length.
    static func unifiedDiff(_ expected: [UInt8], _ actual: [UInt8], maxLines: Int = 60) async -> String {
        guard let pprofFile = try? scratchFile(expected, name: "pprof"),
              let oursFile = try? scratchFile(actual, name: "leakscope") else { return "(cannot write diff files)" }
        defer {
            try? FileManager.default.removeItem(at: pprofFile)
            try? FileManager.default.removeItem(at: oursFile)
        }
        guard let diff = try? tool("diff"),
              let result = try? await ProcessRunner.run(diff, ["-u", "--label", "go tool pprof", "--label", "leakscope pprof",
                                                         "-a", pprofFile.path, oursFile.path]) else {
            return "(diff not available) expected \(expected.count) bytes, got \(actual.count)"
        }
        let lines = result.stdoutText.split(separator: "\n", omittingEmptySubsequences: false)
        let shown = lines.prefix(maxLines).joined(separator: "\n")
        return lines.count > maxLines ? shown + "\n… (\(lines.count - maxLines) more diff lines)" : shown
    }

    static func scratchFile(_ bytes: [UInt8], name: String = "out") throws -> URL {
        let url = TestPaths.scratch
            .appendingPathComponent("leakscope-oracle-\(UUID().uuidString)-\(name)")
        try Data(bytes).write(to: url)
        return url
    }

    static func tool(_ name: String) throws -> String {
        guard let path = ProcessRunner.which(name) else {
            throw ProcessLaunchError(commandLine: [name], reason: "not found on PATH")
        }
        return path
    }
}

/// The harness must be able to fail: a difference is found and shown, equal bytes are not flagged.
@Suite struct OracleHarnessTests {
    @Test func diffShowsTheChangedLine() async {
        let diff = await Oracle.unifiedDiff(Array("a\nb\nc\n".utf8), Array("a\nB\nc\n".utf8))
        #expect(diff.contains("-b"))
        #expect(diff.contains("+B"))
        #expect(diff.contains("go tool pprof"))
    }

    @Test func protoComparisonsSeeThroughGzip() async throws {
        let cpu = OracleInput.corpus("internal/report/testdata/sample.cpu")
        let proto = try await GoPprof.run(["-symbolize=none", "-proto", try cpu.url().path])
        try #require(proto.succeeded, "\(proto.summary)")
        #expect(Array(proto.stdout.prefix(2)) == [0x1f, 0x8b])
        let raw = try await Oracle.gunzip(proto.stdout, what: "pprof -proto")
        #expect(raw.count > proto.stdout.count)
        let decoded = try await Oracle.decodeWithPprof(proto.stdout, what: "pprof -proto")
        #expect(String(decoding: decoded, as: UTF8.self).contains("Samples:"))
    }

    @Test func casesAreNamedByTheirCommandLine() {
        let c = OracleCase(["-top", "-cum"], [.fixture(.current, "heap.pb.gz")])
        #expect(c.description == "-top -cum go1.27/heap.pb.gz")
        #expect(c.comparison == .text)
        #expect(OracleCase(["-topproto"], [.corpus("x/large.cpu")]).comparison == .decoded)
        #expect(OracleCase(["-proto"], [.corpus("x/large.cpu")]).comparison == .gzippedBytes)
    }
}
