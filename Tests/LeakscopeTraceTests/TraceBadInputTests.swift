import Foundation
import Testing
import LeakscopeTestSupport
import LeakscopeTrace
import LeakscopeLifecycle

/// Old formats, truncation and corruption: always a `TraceError` with a byte offset, never a crash.
@Suite struct TraceBadInputTests {
    @Test func go119TraceNamesItsVersion() async throws {
        let file = try await TraceFixtures.trace("healthy", duration: "50ms", toolchain: .debian119)
        let error = try #require(throws: TraceError.self) { try TraceReader(path: file.path) }
        #expect(error.message.hasPrefix("trace format of Go 1.19 is not supported; "))
        #expect(error.offset == 0)
    }

    @Test func unknownFutureVersionIsNamed() throws {
        var bytes = Array("go 1.31 trace\0\0\0".utf8)
        bytes += [1, 1, 1, 1, 0]
        let error = try #require(throws: TraceError.self) { try TraceReader(bytes: bytes) }
        #expect(error.message.contains("go 1.31"))
        let notTrace = try #require(throws: TraceError.self) { try TraceReader(bytes: Array("hello, world\n".utf8)) }
        #expect(notTrace.message.contains("not a Go execution trace"))
        #expect(throws: TraceError.self) { try TraceReader(bytes: []) }
    }

    /// A frequency of 1 tick per second makes a real trace's timestamps 10^20 ns and more: times are
    /// capped, never a trap (the fuzzer found the unchecked conversion).
    @Test func absurdFrequencyDoesNotTrap() async throws {
        let file = try await TraceFixtures.trace("leak")
        var bytes = try [UInt8](Data(contentsOf: file))
        // Frequency events: type 8, then 15,625,000 as a 4-byte uvarint; rewritten as 1 in 4 bytes.
        let wanted: [UInt8] = [8, 0xa8, 0xd6, 0xb9, 0x07]
        var replaced = 0
        var index = 0
        while index + wanted.count <= bytes.count {
            if Array(bytes[index..<index + wanted.count]) == wanted {
                bytes.replaceSubrange(index + 1..<index + 5, with: [0x81, 0x80, 0x80, 0x00])
                replaced += 1
            }
            index += 1
        }
        #expect(replaced >= 1)
        let report = try LifecycleAnalysis.analyze(TraceReader(bytes: bytes))
        #expect(report.windowSeconds >= 0 && report.goroutines.created > 0)
    }

    /// Every cut of a real trace fails with an offset inside the file (or reads fine when it falls
    /// between generations).
    @Test func truncatedTracesFailWithAnOffset() async throws {
        let file = try await TraceFixtures.trace("leak")
        let bytes = try [UInt8](Data(contentsOf: file))
        var failures = 0
        for cut in stride(from: 1, to: bytes.count, by: max(1, bytes.count / 400)) {
            do {
                _ = try LifecycleAnalysis.analyze(TraceReader(bytes: Array(bytes.prefix(cut))))
            } catch {
                failures += 1
                #expect(error.offset <= cut, "cut at \(cut): \(error)")
                #expect(!error.description.contains("\n"))
            }
        }
        #expect(failures > 350)
    }

    /// Random byte flips and huge lengths: an error or a report, within bounded time and memory.
    @Test func corruptedTracesNeverCrash() async throws {
        let file = try await TraceFixtures.trace("leak")
        let original = try [UInt8](Data(contentsOf: file))
        var random = SplitMix64(seed: 12)
        var errors = 0
        for round in 0..<300 {
            var bytes = original
            for _ in 0..<(1 + round % 4) {
                let at = 16 + Int(random.next() % UInt64(bytes.count - 16))
                bytes[at] = round % 3 == 0 ? 0xff : UInt8(truncatingIfNeeded: random.next())
            }
            do {
                _ = try LifecycleAnalysis.analyze(TraceReader(bytes: bytes))
            } catch {
                errors += 1
                #expect(error.offset >= 0 && error.offset <= bytes.count)
            }
        }
        #expect(errors > 0)
    }

    @Test func oversizedBatchIsRejectedBeforeReading() throws {
        // Header, then a batch claiming 1 GiB of data.
        var bytes = Array("go 1.26 trace\0\0\0".utf8)
        bytes += [1, 1, 5, 10] + [0x80, 0x80, 0x80, 0x80, 0x04]
        let error = try #require(throws: TraceError.self) { try LifecycleAnalysis.analyze(TraceReader(bytes: bytes)) }
        #expect(error.message.contains("larger than the maximum of 65,536 bytes"))
        #expect(error.offset == 20)
    }
}
