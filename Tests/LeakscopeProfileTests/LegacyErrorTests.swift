import Foundation
import Testing
import LeakscopeTestSupport
@testable import LeakscopeProfile

/// Broken legacy inputs, made from the real ones: a clear `ProfileError` saying where
/// (line or byte) and what was expected, never a crash.
@Suite struct LegacyErrorTests {
    static func corpus(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: LegacyGoldenTests.directory.appendingPathComponent(name)))
    }

    /// `bytes` with its 1-based line `number` replaced by `text`.
    static func replacingLine(_ bytes: [UInt8], _ number: Int, with text: String) -> [UInt8] {
        var lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
        lines[number - 1] = Array(text.utf8)
        return Array(lines.joined(separator: [10]))
    }

    static func error(_ bytes: [UInt8]) -> ProfileError? {
        do {
            _ = try LegacyProfileParser.parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func heapRowThatIsNotARow() throws {
        let bytes = Self.replacingLine(try Self.corpus("gobench.heap"), 4, with: "1: 262144 [x: 262144] @ 0x420cef")
        let error = try #require(Self.error(bytes))
        #expect(error.kind == .malformed)
        #expect(error.line == 4)
        #expect(error.description.contains("expected `<in-use objects>: <in-use bytes>"))
    }

    @Test func heapCountPast64Bits() throws {
        let bytes = Self.replacingLine(try Self.corpus("gobench.heap"), 2,
                                       with: "9223372036854775808: 524288 [3: 1572864] @ 0x420cef")
        let error = try #require(Self.error(bytes))
        #expect(error.kind == .malformed)
        #expect(error.line == 2)
    }

    @Test func heapBytesWithoutObjects() throws {
        let bytes = Self.replacingLine(try Self.corpus("gobench.heap"), 3, with: "0: 524288 [1: 524288] @ 0x420cef")
        let error = try #require(Self.error(bytes))
        #expect(error.line == 3)
        #expect(error.description.contains("inuse count was 0 but inuse bytes was 524288"))
    }

    /// Poisson scaling of 2^63−1 overflows; pprof (on amd64) gets math.MinInt64, and so must we.
    @Test func heapAtMaximumValuesMatchesPprof() async throws {
        let max = Int64.max
        let bytes = Self.replacingLine(try Self.corpus("gobench.heap"), 2, with: "\(max): \(max) [\(max): \(max)] @ 0x420cef")
        try await LegacyOracle.expectSameAsPprof(bytes)
    }

    @Test func countRowThatIsNotARow() throws {
        let bytes = Self.replacingLine(try Self.corpus("go.godoc.thread"), 3, with: "1 @ 0x44cb3 0xZZ")
        let error = try #require(Self.error(bytes))
        #expect(error.kind == .malformed)
        #expect(error.line == 3)
        #expect(error.description.contains("threadcreate profile: expected `<count> @ 0x<address> …`"))
    }

    @Test func countPast64Bits() throws {
        let bytes = Self.replacingLine(try Self.corpus("go.godoc.thread"), 2, with: "99999999999999999999 @ 0x44cb3")
        let error = try #require(Self.error(bytes))
        #expect(error.line == 2)
    }

    @Test func contentionRowThatIsNotARow() throws {
        let bytes = Self.replacingLine(try Self.corpus("cppbench.contention"), 7, with: "  768 many @ 0xbccc97")
        let error = try #require(Self.error(bytes))
        #expect(error.kind == .unrecognized)
        #expect(error.line == 7)
        #expect(error.description.contains("expected `<cycles> <count> @ <addresses>`"))
    }

    @Test func contentionAttributeThatIsNotANumber() throws {
        let bytes = Self.replacingLine(try Self.corpus("cppbench.contention"), 3, with: "sampling period = often")
        let error = try #require(Self.error(bytes))
        #expect(error.line == 3)
    }

    /// A threadz dump needs its memory map (pprof requires it too).
    @Test func threadzWithoutMemoryMap() throws {
        let bytes = try Self.corpus("cppbench.thread")
        let lines = bytes.split(separator: 10, omittingEmptySubsequences: false)
        let mapLine = try #require(lines.firstIndex { String(decoding: $0, as: UTF8.self).contains("--- Memory map: ---") })
        let cut = Array(lines[..<mapLine].joined(separator: [10]))
        let error = try #require(Self.error(cut))
        #expect(error.line == mapLine)  // the last line, 1-based
        #expect(error.description.contains("threadz profile"))
    }

    /// Cut anywhere in the samples, a CPU profile either ends at a record boundary (pprof
    /// reads such a prefix too) or fails as truncated, naming the record's offset.
    @Test(arguments: ["cppbench.cpu", "gobench.cpu", "go.crc32.cpu", "java.cpu"])
    func cpuProfileCutInsideTheSamples(_ name: String) throws {
        let bytes = try Self.corpus(name)
        var truncated = 0
        // Past the 5-word header: every 4th byte of the first 2000 (words are 4 or 8 bytes), then a spread.
        let cuts = Array(stride(from: 41, to: min(bytes.count, 2000), by: 4))
            + Array(stride(from: 2000, to: bytes.count, by: max(1, bytes.count / 200)))
        for end in cuts {
            guard let error = Self.error(Array(bytes.prefix(end))) else { continue }
            #expect(error.kind == .truncated && error.offset != nil, "cut at \(end): \(error)")
            #expect(error.description.contains("CPU profile: data ends inside a record"))
            truncated += 1
        }
        #expect(truncated > 0)
    }

    @Test func javaHeapRowWithoutObjects() throws {
        let bytes = try Self.corpus("java.heap")
        let lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        let row = try #require(lines.firstIndex { $0.contains("4752     9 @") }) + 1
        let error = try #require(Self.error(Self.replacingLine(bytes, row, with: "          4752     0 @ 0x0000002b")))
        #expect(error.kind == .malformed)
        #expect(error.line == row)
    }

    @Test func textThatIsNoProfile() throws {
        let error = try #require(Self.error(Array("hello\nworld\n".utf8)))
        #expect(error.kind == .unrecognized)
        #expect(Self.error([])?.kind == .unrecognized)
    }

    /// Every prefix of every corpus input and of the Go fixture's outputs either parses or
    /// fails with a `ProfileError`; a crash would end the test process.
    @Test(arguments: LegacyGoldenTests.inputs)
    func everyTruncationIsHandled(_ name: String) throws {
        let bytes = try Self.corpus(name)
        var failures = 0
        let step = max(1, bytes.count / 250)
        for end in stride(from: 0, through: bytes.count, by: step) {
            if let error = Self.error(Array(bytes.prefix(end))) {
                failures += 1
                #expect(!error.message.isEmpty)
                if error.kind != .unrecognized { #expect(error.line != nil || error.offset != nil) }
            }
        }
        #expect(failures > 0)  // the empty prefix at least
    }

    /// Thousands of random corruptions (byte flips, digit runs, cut and duplicated ranges)
    /// of the real inputs never crash, and what parses can be printed.
    @Test(arguments: LegacyGoldenTests.inputs)
    func randomCorruptionsAreHandled(_ name: String) throws {
        let original = try Self.corpus(name)
        var random = SplitMix64(seed: UInt64(truncatingIfNeeded: name.utf8.reduce(0) { $0 &* 31 &+ Int($1) }))
        var parsed = 0
        for _ in 0..<250 {
            var bytes = original
            for _ in 0..<(1 + Int(random.next() % 4)) where !bytes.isEmpty {
                let at = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 5 {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.insert(contentsOf: Array("99999999999999999999".utf8), at: at)
                case 2: bytes.removeSubrange(at..<min(bytes.count, at + Int(random.next() % 64)))
                case 3: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + Int(random.next() % 200))], at: at)
                default: bytes[at] = [UInt8(ascii: "\n"), UInt8(ascii: "#"), UInt8(ascii: "@"), 0][Int(random.next() % 4)]
                }
            }
            if let profile = try? LegacyProfileParser.parse(bytes) {
                parsed += 1
                #expect(!profile.pprofString.isEmpty)
            }
        }
        #expect(parsed > 0)
    }

    /// A few corruptions of each corpus input, checked against `go tool pprof -raw`: the
    /// same verdict, and for what both accept, the same text (see `LegacyOracle`).
    @Test(arguments: LegacyGoldenTests.inputs)
    func corruptionsAgreeWithPprof(_ name: String) async throws {
        let original = try Self.corpus(name)
        var random = SplitMix64(seed: 7 &+ UInt64(truncatingIfNeeded: name.utf8.reduce(0) { $0 &* 131 &+ Int($1) }))
        for _ in 0..<6 {
            var bytes = original
            let at = Int(random.next() % UInt64(bytes.count))
            switch random.next() % 3 {
            case 0: bytes[at] = UInt8(truncatingIfNeeded: random.next())
            case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int(random.next() % 64)))
            default: bytes = Array(bytes.prefix(at))
            }
            try await LegacyOracle.expectSameAsPprof(bytes)
        }
    }

    /// The Go fixture's real debug=1 files, truncated at every line and inside lines.
    @Test(arguments: GoToolchain.Kind.allCases)
    func goFixtureTruncationsAreHandled(_ kind: GoToolchain.Kind) async throws {
        let dir = try await GoFixtures.output("legacy", toolchain: kind)
        for file in ["goroutine.txt", "heap.txt", "block.txt", "mutex.txt", "custom.txt"] {
            let bytes = [UInt8](try Data(contentsOf: dir.appendingPathComponent(file)))
            let step = max(1, bytes.count / 150)
            for end in stride(from: 1, through: bytes.count, by: step) {
                if let error = Self.error(Array(bytes.prefix(end))), error.kind != .unrecognized {
                    #expect(error.line != nil, "\(file) cut at \(end): \(error)")
                }
            }
        }
    }
}
