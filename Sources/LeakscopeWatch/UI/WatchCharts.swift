import Foundation
import LeakscopeFormat
import LeakscopeWatchRules

/// The pages' charts as inline SVG, drawn on the server so they show without script: sparklines
/// for the fleet table and the history chart of a target. Every y axis starts at zero, so a
/// line twice as high is twice the value.
enum WatchCharts {
    /// A 120×26 line of `points` (x by time, y from zero to the largest value). `data-count` is the
    /// number of points drawn and `data-end` the last point's time as the API prints it.
    static func sparkline(_ points: [Point], metric: String) -> String {
        let width = 120.0, height = 26.0
        var svg = "<svg class=\"spark\" viewBox=\"0 0 120 26\" preserveAspectRatio=\"none\" data-metric=\"\(metric)\" "
        svg += "data-count=\"\(points.count)\""
        if let last = points.last { svg += " data-end=\"\(Notifier.rfc3339(last.time))\"" }
        svg += " role=\"img\" aria-label=\"\(metric), last \(points.count) polls\">"
        svg += "<line class=\"base\" x1=\"0\" y1=\"25.5\" x2=\"120\" y2=\"25.5\" vector-effect=\"non-scaling-stroke\"/>"
        guard let first = points.first, let last = points.last else { return svg + "</svg>" }
        let top = max(points.map(\.value).max() ?? 0, 1)
        let span = last.time - first.time
        let coordinates = points.enumerated().map { index, point -> String in
            let x = span > 0 ? 1 + (point.time - first.time) / span * (width - 2)
                : points.count > 1 ? 1 + Double(index) / Double(points.count - 1) * (width - 2) : width / 2
            let y = (height - 1) - max(point.value, 0) / top * (height - 3)
            return format(x) + "," + format(y)
        }
        svg += "<polyline points=\"\(coordinates.joined(separator: " "))\" vector-effect=\"non-scaling-stroke\"/></svg>"
        return svg
    }

    /// An alert drawn over a history chart: a dashed line where it started, a band while it fired.
    struct Mark {
        var id: Int64?
        var start: Double
        var end: Double?
        var title: String
    }

    /// Plot area of the history chart in its 800×240 view box.
    static let plot = (x0: 64.0, x1: 790.0, top: 12.0, bottom: 206.0)

    /// A target's metric over `[from, to]` with alert marks; `bytes` formats the axis as sizes.
    /// Above 1,600 points each pixel column keeps its lowest and highest point, so a spike stays
    /// visible while the page stays small. `data-from`/`data-to` and the plot bounds let the
    /// script turn a drag into a time range.
    static func history(_ points: [Point], metric: String, from: Double, to: Double, bytes: Bool, marks: [Mark]) -> String {
        let (x0, x1, top, bottom) = plot
        let span = max(to - from, 1)
        func x(_ time: Double) -> Double { x0 + (min(max(time, from), to) - from) / span * (x1 - x0) }
        let largest = points.map(\.value).max() ?? 0
        let ceiling = niceCeiling(max(largest * 1.05, bytes ? 1024 : 1))
        func y(_ value: Double) -> Double { bottom - max(value, 0) / ceiling * (bottom - top) }

        var svg = "<svg class=\"history\" viewBox=\"0 0 800 240\" data-metric=\"\(metric)\" data-points=\"\(points.count)\" "
        svg += "data-from=\"\(Int(from.rounded(.down)))\" data-to=\"\(Int(to.rounded(.up)))\" "
        svg += "data-x0=\"\(format(x0))\" data-x1=\"\(format(x1))\" data-top=\"\(format(top))\" data-bottom=\"\(format(bottom))\" "
        svg += "role=\"img\" aria-label=\"\(metric) from \(WatchPage.time(from)) to \(WatchPage.time(to))\">"
        // Y axis: zero and four steps to the ceiling.
        for step in 0...4 {
            let value = ceiling * Double(step) / 4
            let yy = format(y(value))
            svg += "<line class=\"grid\" x1=\"\(format(x0))\" y1=\"\(yy)\" x2=\"\(format(x1))\" y2=\"\(yy)\"/>"
            let label = bytes ? Numbers.bytes(value) : value == value.rounded() ? Numbers.count(value) : Numbers.quantity(value)
            svg += "<text x=\"\(format(x0 - 6))\" y=\"\(format(y(value) + 4))\" text-anchor=\"end\">\(label)</text>"
        }
        // X axis: ticks at round times.
        let tick = tickStep(span)
        var time = (from / tick).rounded(.up) * tick
        while time <= to {
            let xx = format(x(time))
            svg += "<line class=\"grid\" x1=\"\(xx)\" y1=\"\(format(top))\" x2=\"\(xx)\" y2=\"\(format(bottom))\"/>"
            svg += "<text x=\"\(xx)\" y=\"\(format(bottom + 16))\" text-anchor=\"middle\">\(tickLabel(time, span: span))</text>"
            time += tick
        }
        svg += "<line class=\"axis\" x1=\"\(format(x0))\" y1=\"\(format(bottom))\" x2=\"\(format(x1))\" y2=\"\(format(bottom))\"/>"
        svg += "<line class=\"axis\" x1=\"\(format(x0))\" y1=\"\(format(top))\" x2=\"\(format(x0))\" y2=\"\(format(bottom))\"/>"
        // Alert marks under the line.
        for mark in marks where mark.start <= to && (mark.end ?? to) >= from {
            let start = x(mark.start), end = x(mark.end ?? to)
            svg += "<a href=\"\(mark.id.map { "/alerts/\($0)" } ?? "/alerts")\" class=\"alert-link\" data-alert=\"\(mark.id.map(String.init) ?? "")\">"
            svg += "<title>\(WatchPage.escape(mark.title))</title>"
            svg += "<rect class=\"alert-span\" x=\"\(format(start))\" y=\"\(format(top))\" width=\"\(format(max(end - start, 2)))\" height=\"\(format(bottom - top))\"/>"
            if mark.start >= from {
                svg += "<line class=\"alert-mark\" x1=\"\(format(start))\" y1=\"\(format(top))\" x2=\"\(format(start))\" y2=\"\(format(bottom))\"/>"
            }
            svg += "</a>"
        }
        // The line; a gap of more than five usual intervals (a target down) breaks it.
        let drawn = thinned(points, from: from, to: to, columns: Int(x1 - x0))
        var path = ""
        let gap = 5 * medianStep(drawn)
        for (index, point) in drawn.enumerated() {
            let move = index == 0 || point.time - drawn[index - 1].time > gap
            path += (move ? "M" : "L") + format(x(point.time)) + " " + format(y(point.value))
        }
        if !path.isEmpty { svg += "<path class=\"line\" d=\"\(path)\"/>" }
        if drawn.count == 1, let point = drawn.first {
            svg += "<circle cx=\"\(format(x(point.time)))\" cy=\"\(format(y(point.value)))\" r=\"2.5\" fill=\"#2e6fb7\"/>"
        }
        return svg + "</svg>"
    }

    /// At most two points (lowest, highest) per pixel column once there are more than 1,600.
    static func thinned(_ points: [Point], from: Double, to: Double, columns: Int) -> [Point] {
        guard points.count > 1600, to > from, columns > 0 else { return points }
        var buckets: [Int: (low: Point, high: Point)] = [:]
        for point in points {
            let column = min(columns - 1, max(0, Int((point.time - from) / (to - from) * Double(columns))))
            if let bucket = buckets[column] {
                buckets[column] = (point.value < bucket.low.value ? point : bucket.low,
                                   point.value > bucket.high.value ? point : bucket.high)
            } else {
                buckets[column] = (point, point)
            }
        }
        var out: [Point] = []
        for column in buckets.keys.sorted() {
            let bucket = buckets[column]!
            if bucket.low == bucket.high { out.append(bucket.low) } else { out += [bucket.low, bucket.high].sorted { $0.time < $1.time } }
        }
        return out
    }

    static func medianStep(_ points: [Point]) -> Double {
        guard points.count > 2 else { return .greatestFiniteMagnitude }
        let steps = zip(points.dropFirst(), points).map { $0.time - $1.time }.sorted()
        return max(steps[steps.count / 2], 0.001)
    }

    /// The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten) at or above `value`.
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        let power = pow(10, (log10(value)).rounded(.down))
        for factor in [1.0, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10] where factor * power >= value { return factor * power }
        return 10 * power
    }

    /// A round tick step giving at most eight ticks over `span` seconds.
    static func tickStep(_ span: Double) -> Double {
        let steps: [Double] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172_800, 604_800]
        return steps.first { span / $0 <= 8 } ?? span / 8
    }

    static func tickLabel(_ time: Double, span: Double) -> String {
        UTCTime.tick(time, withSeconds: span <= 600, withDay: span > 2 * 86400)
    }

    /// A coordinate with at most one decimal.
    static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
