import Testing
import Foundation
import LeakscopeTestSupport
@testable import LeakscopeFlame
@testable import LeakscopePprof
@testable import LeakscopeProfile

/// Flame outputs of real profiles checked against `go tool pprof` on the same files: the
/// collapsed stacks must be exactly pprof's `-traces` summed per stack, and per-function totals
/// its `-top -cum` column.
@Suite struct FlameOracleTests {
    struct Case: CustomStringConvertible, Sendable {
        var source: Source
        var file: String
        var sampleIndex: Int?
        var granularity: Granularity = .functions
        var noInlines = false
        var description: String {
            "\(file) si=\(sampleIndex.map(String.init) ?? "default") \(granularity.rawValue)\(noInlines ? " noinlines" : "")"
        }
        enum Source: Sendable { case corpus, fixture }

        func url() async throws -> URL {
            switch source {
            case .corpus: return TestPaths.pprofCorpus.appendingPathComponent(file)
            case .fixture: return try await GoFixtures.output("profiles", toolchain: .current).appendingPathComponent(file)
            }
        }

        var options: PprofOptions {
            var o = PprofOptions()
            o.granularity = granularity
            o.noInlines = noInlines
            return o
        }

        var pprofFlags: [String] {
            var flags = ["-symbolize=none", "-" + granularity.rawValue]
            if noInlines { flags.append("-noinlines") }
            if let sampleIndex { flags.append("-sample_index=\(sampleIndex)") }
            return flags
        }
    }

    static let sampleCPU = "internal/report/testdata/sample.cpu"
    static let largeCPU = "internal/proftest/testdata/large.cpu"

    static let tracesCases: [Case] = [
        Case(source: .corpus, file: sampleCPU),
        Case(source: .corpus, file: sampleCPU, granularity: .lines),
        Case(source: .corpus, file: sampleCPU, granularity: .files),
        Case(source: .corpus, file: sampleCPU, granularity: .filefunctions),
        Case(source: .corpus, file: sampleCPU, granularity: .addresses),
        Case(source: .corpus, file: sampleCPU, noInlines: true),
        Case(source: .corpus, file: largeCPU),
        Case(source: .fixture, file: "cpu.pb.gz"),
        Case(source: .fixture, file: "cpu.pb.gz", granularity: .lines),
        Case(source: .fixture, file: "heap.pb.gz", sampleIndex: 0),
        Case(source: .fixture, file: "heap.pb.gz", sampleIndex: 3, granularity: .lines),
        Case(source: .fixture, file: "allocs.pb.gz", sampleIndex: 1, noInlines: true),
        Case(source: .fixture, file: "goroutine.pb.gz"),
        Case(source: .fixture, file: "mutex.pb.gz", sampleIndex: 1),
        Case(source: .fixture, file: "block.pb.gz", granularity: .addresses),
    ]

    static func load(_ url: URL) throws -> Profile {
        try Profile.parse([UInt8](try Data(contentsOf: url)))
    }

    /// The unit flag that makes pprof print raw integer values.
    static func unitFlag(_ profile: Profile, _ index: Int) -> String {
        switch profile.sampleTypes[index].unit {
        case "nanoseconds": "-unit=ns"
        case "bytes": "-unit=B"
        default: "-unit=" + profile.sampleTypes[index].unit
        }
    }

    /// Parses an integer printed with a unit suffix, e.g. `20000000ns`, `208B`, `3`.
    static func value(_ text: Substring) throws -> Int64 {
        let digits = text.trimmingCharacters(in: .whitespaces).prefix { "0123456789.-".contains($0) }
        return Int64(try #require(Double(digits), "value \(text)"))
    }

    /// pprof `-traces` output summed per stack (root first, `;`-joined); zero stacks dropped.
    static func oracleStacks(_ text: String) throws -> [String: Int64] {
        var out: [String: Int64] = [:]
        var frames: [String] = []
        var value: Int64 = 0
        var inTraces = false
        func flush() {
            if !frames.isEmpty { out[frames.reversed().joined(separator: ";"), default: 0] += value }
            frames = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("-----------+") { flush(); inTraces = true; continue }
            guard inTraces, !line.isEmpty else { continue }
            // `%10s   %s`: a value wider than 10 characters pushes the name right, so split on the
            // first run of spaces after the value instead of at a fixed column.
            let body = line.drop { $0 == " " }
            var name: String
            if line.hasPrefix(String(repeating: " ", count: 10)) {
                name = String(body)
            } else {
                let token = body.prefix { $0 != " " }
                if token.hasSuffix(":") { continue }  // a label line: `%10s:  %s`
                if frames.isEmpty { value = try Self.value(token) }
                name = String(body.dropFirst(token.count + 3))
            }
            if name.hasSuffix(" (inline)") { name.removeLast(" (inline)".count) }
            frames.append(name)
        }
        flush()
        return out.filter { $0.value != 0 }
    }

    @Test(arguments: tracesCases)
    func collapsedMatchesPprofTraces(_ testCase: Case) async throws {
        let url = try await testCase.url()
        let profile = try Self.load(url)
        let index = testCase.sampleIndex ?? profile.defaultSampleIndex
        let collapsed = FlameGraph.collapsed(profile, valueIndex: index, options: testCase.options)
        let ours = try parseCollapsed(collapsed)
        let pprof = try await GoPprof.run(["-traces", Self.unitFlag(profile, index)] + testCase.pprofFlags + [url.path])
        try #require(pprof.succeeded, "\(pprof.summary)")
        let oracle = try Self.oracleStacks(pprof.stdoutText)
        #expect(!oracle.isEmpty)
        #expect(ours.count == oracle.count)
        for (stack, value) in oracle where ours[stack] != value {
            Issue.record("\(testCase): pprof has \(stack) = \(value), we have \(ours[stack].map(String.init) ?? "nothing")")
            break
        }
        for stack in ours.keys where oracle[stack] == nil {
            Issue.record("\(testCase): we have \(stack) that pprof does not")
            break
        }
        // The collapsed total is the profile's total minus samples with no stack.
        let expectedTotal = profile.samples.filter { !$0.locations.isEmpty }.reduce(Int64(0)) { $0 + $1.values[index] }
        #expect(ours.values.reduce(0, +) == expectedTotal)

        // The same stacks come out of the HTML page and the speedscope file.
        let page = try EmbeddedFlame(html: FlameGraph.html(profile, valueIndex: index, options: testCase.options, title: url.lastPathComponent))
        #expect(page.stacks.mapValues(\.0) == ours)
        #expect((page.meta["total"] as? Int).map(Int64.init) == profile.samples.reduce(Int64(0)) { $0 + $1.values[index] })
        let speedscope = FlameGraph.speedscope(profile, valueIndex: index, options: testCase.options, name: url.lastPathComponent)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(speedscope)) as? [String: Any])
        let frames = try #require((json["shared"] as? [String: Any])?["frames"] as? [[String: Any]]).map { $0["name"] as? String ?? "" }
        let sampled = try #require((json["profiles"] as? [[String: Any]])?.first)
        let samples = try #require(sampled["samples"] as? [[Int]])
        let weights = try #require(sampled["weights"] as? [Int64])
        let rebuilt = Dictionary(zip(samples.map { $0.map { frames[$0] }.joined(separator: ";") }, weights), uniquingKeysWith: +)
        #expect(rebuilt == ours.filter { $0.value > 0 })
        #expect(weights.reduce(0, +) == sampled["endValue"] as? Int64)
    }

    /// Per-function cumulative values from collapsed stacks (a frame counted once per stack).
    static func cumulative(_ stacks: [String: Int64]) -> [String: Int64] {
        var cum: [String: Int64] = [:]
        for (stack, value) in stacks {
            for frame in Set(stack.split(separator: ";").map(String.init)) { cum[frame, default: 0] += value }
        }
        return cum
    }

    /// pprof `-top` rows: name → cum.
    static func oracleCumulative(_ text: String) throws -> [String: Int64] {
        var out: [String: Int64] = [:]
        var inRows = false
        for line in text.split(separator: "\n") {
            if line.contains("flat%") && line.contains("cum%") { inRows = true; continue }
            guard inRows else { continue }
            // Five value columns, then the name (which may itself contain spaces).
            var rest = line[...]
            var fields: [Substring] = []
            for _ in 0..<5 {
                rest = rest.drop { $0 == " " }
                fields.append(rest.prefix { $0 != " " })
                rest = rest.dropFirst(fields.last!.count)
            }
            var name = String(rest.drop { $0 == " " })
            guard !name.isEmpty else { continue }
            if name.hasSuffix(" (inline)") { name.removeLast(" (inline)".count) }
            out[name] = try value(fields[3])
        }
        return out
    }

    @Test(arguments: [
        Case(source: .corpus, file: largeCPU),
        Case(source: .fixture, file: "heap.pb.gz", sampleIndex: 1),
        Case(source: .fixture, file: "cpu.pb.gz", granularity: .lines),
    ])
    func functionTotalsMatchPprofTopCum(_ testCase: Case) async throws {
        let url = try await testCase.url()
        let profile = try Self.load(url)
        let index = testCase.sampleIndex ?? profile.defaultSampleIndex
        let ours = Self.cumulative(try parseCollapsed(FlameGraph.collapsed(profile, valueIndex: index, options: testCase.options)))
        let pprof = try await GoPprof.run(["-top", "-cum", "-nodecount=1000000", "-nodefraction=0", Self.unitFlag(profile, index)]
            + testCase.pprofFlags + [url.path])
        try #require(pprof.succeeded, "\(pprof.summary)")
        let oracle = try Self.oracleCumulative(pprof.stdoutText).filter { $0.value != 0 }
        #expect(oracle.count > 5)
        let nonZero = ours.filter { $0.value != 0 }
        #expect(nonZero.count == oracle.count)
        for (name, cum) in oracle where nonZero[name] != cum {
            Issue.record("\(testCase): pprof -top -cum has \(name) = \(cum), we have \(nonZero[name].map(String.init) ?? "nothing")")
            break
        }
    }
}
