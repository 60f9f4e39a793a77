import Foundation
import LeakscopeTestSupport
import Testing
@testable import LeakscopeProfile

/// Units, scaling and percentage formats, checked against `go tool pprof` on
/// profiles built with chosen values (the expected text comes from pprof itself).
@Suite struct MeasurementFormatTests {
    /// One sample per value, each on its own function, so each value is a report row.
    static func profile(type: String, unit: String, values: [Int64], durationNanos: Int64 = 0) -> Profile {
        var p = Profile()
        p.sampleTypes = [ValueType(type: type, unit: unit)]
        p.mappings = [Mapping(id: 1)]
        p.durationNanos = durationNanos
        p.timeNanos = 1_700_000_000_123_456_789
        for (i, v) in values.enumerated() {
            p.functions.append(Function(id: UInt64(i + 1), name: "pkg.f\(i)", filename: "pkg/f.go", startLine: Int64(i)))
            p.locations.append(Location(id: UInt64(i + 1), mapping: 0, address: UInt64(0x1000 + i),
                                        lines: [Line(function: i, line: Int64(10 + i))]))
            p.samples.append(Sample(locations: [i], values: [v]))
        }
        return p
    }

    static func write(_ p: Profile) throws -> String {
        let url = TestPaths.scratch.appendingPathComponent("leakscope-measure-\(UUID().uuidString).pb.gz")
        try Data(p.encodeGzipped()).write(to: url)
        return url.path
    }

    static let memoryValues: [Int64] = [1, 7, 999, 1023, 1024, 1536, 10_000, 1 << 20, 3_000_000, 1 << 30, 5 << 40, 3 << 50,
                                        123_456_789_012]
    static let timeValues: [Int64] = [1, 999, 1000, 1500, 999_999, 1_000_000, 1_234_567_890, 59_000_000_000,
                                      3_600_000_000_000, 7_300_000_000_000]
    static let countValues: [Int64] = [1, 2, 17, 1000, 99_999, 1_000_000_007]

    @Test(arguments: ["minimum", "auto", "B", "kb", "MB", "gb", "TB", "pb", "ms", "count"])
    func memoryUnits(unit: String) async throws {
        let file = try Self.write(Self.profile(type: "space", unit: "bytes", values: Self.memoryValues))
        try await PprofOracle.expectIdentical(["-top", "-unit=\(unit)"], file)
        try await PprofOracle.expectIdentical(["-tree", "-unit=\(unit)"], file)
    }

    @Test(arguments: ["minimum", "auto", "ns", "us", "ms", "s", "sec", "seconds", "hrs", "hour", "kb"])
    func timeUnits(unit: String) async throws {
        let file = try Self.write(Self.profile(type: "cpu", unit: "nanoseconds", values: Self.timeValues,
                                               durationNanos: 10_000_000_000_000))
        try await PprofOracle.expectIdentical(["-top", "-unit=\(unit)"], file)
    }

    @Test(arguments: [["-top"], ["-top", "-unit=auto"], ["-top", "-divide_by=7"], ["-top", "-cum"], ["-traces"], ["-tags"]])
    func counts(flags: [String]) async throws {
        let file = try Self.write(Self.profile(type: "samples", unit: "count", values: Self.countValues,
                                               durationNanos: 1_500_000_000))
        try await PprofOracle.expectIdentical(flags, file)
    }

    /// Tiny shares print with `%5.2g` (`0.017%`, `1e-05%`), shares near 100% as `  100%`.
    @Test func percentageFormats() async throws {
        let values: [Int64] = [1_000_000_000, 170_000, 9_000, 100, 1, 4_999_999, 50_000_000, 999_500]
        let file = try Self.write(Self.profile(type: "alloc", unit: "bytes", values: values))
        try await PprofOracle.expectIdentical(["-top", "-nodefraction=0"], file)
        try await PprofOracle.expectIdentical(["-top", "-focus=pkg.f0"], file)
        try await PprofOracle.expectIdentical(["-top", "-focus=pkg.f[1-4]", "-relative_percentages"], file)
    }

    @Test func unknownUnitPassesThrough() async throws {
        let file = try Self.write(Self.profile(type: "widgets", unit: "furlongs", values: [3, 5_000, 70_000_000]))
        try await PprofOracle.expectIdentical(["-top"], file)
        try await PprofOracle.expectIdentical(["-top", "-unit=parsecs"], file)
    }
}
