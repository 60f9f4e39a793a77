import Foundation
import Testing
@testable import LeakscopeWatch
import LeakscopeWatchRules

/// The pages' SVG charts: sparklines draw every point they are given from a zero baseline, and
/// a long history keeps each pixel column's lowest and highest point, so spikes survive.
struct WatchChartsTests {
    @Test func sparklineDrawsEveryPointFromZero() throws {
        let points = (0..<60).map { Point(time: 1_000 + Double($0) * 15, value: 100 + Double($0)) }
        let svg = WatchCharts.sparkline(points, metric: "goroutines")
        #expect(svg.contains("data-count=\"60\""))
        let polyline = try #require(svg.range(of: "points=\"").map { svg[$0.upperBound...] }?.prefix { $0 != "\"" })
        let coordinates = polyline.split(separator: " ").map { $0.split(separator: ",").compactMap { Double($0) } }
        #expect(coordinates.count == 60)
        // From zero: the smallest value (100 of at most 159) sits well above the baseline at y=25.
        let ys = coordinates.map { $0[1] }
        #expect(ys.max()! < 25 - 0.5 * 23 && ys.min()! >= 2 - 0.01, "\(ys)")
        #expect(WatchCharts.sparkline([], metric: "goroutines").contains("data-count=\"0\""))
    }

    @Test func longHistoryKeepsEachColumnsExtremes() {
        // 10,000 points of a flat 50 with one spike of 5,000 in the middle.
        var points = (0..<10_000).map { Point(time: Double($0), value: 50) }
        points[5_000].value = 5_000
        let thinned = WatchCharts.thinned(points, from: 0, to: 10_000, columns: 726)
        #expect(thinned.count <= 2 * 726)
        #expect(thinned.contains { $0.value == 5_000 && $0.time == 5_000 })
        #expect(zip(thinned, thinned.dropFirst()).allSatisfy { $0.time < $1.time })
        let svg = WatchCharts.history(points, metric: "goroutines", from: 0, to: 10_000, bytes: false, marks: [])
        #expect(svg.contains("data-points=\"10000\""))
        // The y axis starts at zero and its top is a round number above the spike.
        #expect(svg.contains(">0</text>") && svg.contains(">6,000</text>"), "\(svg.prefix(1500))")
    }

    @Test func alertMarksLinkToTheirAlert() {
        let points = (0..<100).map { Point(time: Double($0) * 10, value: Double($0)) }
        let marks = [WatchCharts.Mark(id: 7, start: 500, end: 700, title: "GoroutineLeak (resolved): <b>")]
        let svg = WatchCharts.history(points, metric: "goroutines", from: 0, to: 1_000, bytes: false, marks: marks)
        #expect(svg.contains("href=\"/alerts/7\""))
        #expect(svg.contains("&lt;b&gt;") && !svg.contains("<b>"))
        #expect(svg.contains("class=\"alert-mark\""))
    }
}

/// The watch's UTC times read exactly as Foundation's formatters print them.
struct UTCTimeTests {
    @Test func matchesFoundationsFormatters() {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let readable = ISO8601DateFormatter()
        readable.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate, .withSpaceBetweenDateAndTime]
        // Fractions a binary double holds exactly, so both sides see the same milliseconds.
        var times: [Double] = [0, 1, 951_782_400, 1_764_758_677.25, 1_764_758_677.5, 4_102_444_799.875, 1_709_164_800.125]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 { times.append(Double(UInt64.random(in: 0...4_000_000_000, using: &generator)) + Double(Int.random(in: 0..<8, using: &generator)) / 8) }
        for time in times {
            let date = Date(timeIntervalSince1970: time)
            #expect(UTCTime.rfc3339(time) == iso.string(from: date), "\(time)")
            #expect(UTCTime.readable(time) == readable.string(from: date) + "Z", "\(time)")
        }
    }
}
