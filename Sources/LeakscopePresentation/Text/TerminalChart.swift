import LeakscopeGodebugAnalysis
import LeakscopeFormat

/// Small charts for terminal output, built from Unicode block elements: a one-line sparkline
/// (`▁▂▃▅▇`), a labelled column chart a few rows tall, and horizontal bars. Pure functions returning
/// plain text; ANSI colour only when a `color` is given (decide that from `isatty`, not here).
/// Non-finite values are drawn as empty columns and never affect the scale.
///
/// ```swift
/// TerminalChart.sparkline([1, 3, 2, 8])                       // "▁▃▂█"
/// print(TerminalChart.columns(heap, title: "live heap", unit: "MiB",
///                             xStart: "0 s", xEnd: "42 s", width: 48, height: 5))
/// ```
public enum TerminalChart {
    /// Eighth blocks, lowest first.
    public static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// How a series longer than the chart is squeezed into its columns.
    public enum Reduction: Sendable, Hashable {
        /// Mean of the values in a column (levels, e.g. heap size).
        case mean
        /// Largest value in a column (spikes must stay visible, e.g. pauses).
        case max
        /// Last value in a column (cumulative figures).
        case last
    }

    public enum Color: String, Sendable, Hashable, CaseIterable {
        case cyan, green, yellow, red, magenta, blue
        var code: String {
            switch self {
            case .red: "31"
            case .green: "32"
            case .yellow: "33"
            case .blue: "34"
            case .magenta: "35"
            case .cyan: "36"
            }
        }
    }

    /// One block per value (or per column when `width` is smaller than the count), scaled between
    /// `range` or the values' own min…max. A constant series draws at the lowest block; empty input gives "".
    public static func sparkline(_ values: [Double], width: Int? = nil, reduction: Reduction = .mean,
                                 range: ClosedRange<Double>? = nil) -> String {
        let columns = resample(values, to: width ?? values.count, reduction: reduction)
        guard let (low, high) = range.map({ ($0.lowerBound, $0.upperBound) }) ?? bounds(columns) else {
            return String(repeating: " ", count: columns.count)
        }
        var text = ""
        for value in columns {
            guard value.isFinite else { text.append(" "); continue }
            let fraction = Self.unit(value, low, high)
            text.append(blocks[min(blocks.count - 1, Int((fraction * Double(blocks.count - 1)).rounded()))])
        }
        return text
    }

    /// A column chart `height` rows tall and at most `width` columns wide:
    /// ```
    /// live heap (MiB)  last 48  min 1  max 48
    /// 48 │             ▂▄▆█
    ///    │       ▁▃▅▇██████
    ///  0 │▁▂▄▆███████████████
    ///    └──────────────────
    ///     0 s           1.5 s
    /// ```
    /// The vertical scale runs from 0 (or the minimum when it is negative or `fromZero` is false) to
    /// the maximum. `xStart`/`xEnd` label the ends of the time axis when given.
    public static func columns(_ values: [Double], title: String, unit: String = "", width: Int = 60, height: Int = 5,
                               reduction: Reduction = .mean, fromZero: Bool = true, xStart: String? = nil,
                               xEnd: String? = nil, color: Color? = nil) -> String {
        let height = max(1, min(height, 40))
        let data = resample(values, to: max(1, min(width, 400)), reduction: reduction)
        var lines: [String] = []
        let finite = values.filter(\.isFinite)
        var heading = unit.isEmpty ? title : "\(title) (\(unit))"
        if let last = finite.last, let low = finite.min(), let high = finite.max() {
            heading += "  last \(label(last))  min \(label(low))  max \(label(high))"
        }
        lines.append(heading)
        guard var (low, high) = bounds(data) else {
            lines.append("   (no data)")
            return lines.joined(separator: "\n") + "\n"
        }
        if fromZero { low = min(low, 0) }
        if high <= low { high = low + 1 }
        let topLabel = label(high), bottomLabel = label(low)
        let gutter = max(topLabel.count, bottomLabel.count)
        // Height of each column in eighths of a row.
        let eighths = data.map { value -> Int in
            guard value.isFinite else { return 0 }
            return Int((Self.unit(value, low, high) * Double(height * 8)).rounded())
        }
        for row in stride(from: height - 1, through: 0, by: -1) {
            let yLabel = row == height - 1 ? topLabel : row == 0 ? bottomLabel : ""
            var bar = ""
            for filled in eighths {
                let cell = min(8, max(0, filled - row * 8))
                bar.append(cell > 0 ? blocks[cell - 1] : " ")
            }
            lines.append(pad(yLabel, gutter) + " │" + paint(bar, color))
        }
        lines.append(String(repeating: " ", count: gutter) + " └" + String(repeating: "─", count: data.count))
        if xStart != nil || xEnd != nil {
            let start = xStart ?? "", end = xEnd ?? ""
            let room = data.count - start.count - end.count
            let axis = room >= 1 ? start + String(repeating: " ", count: room) + end : start + " " + end
            lines.append(String(repeating: " ", count: gutter + 2) + axis)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Horizontal bars, one line per item: `label  ███████▍   12.5 unit`. Bars scale to the largest value.
    public static func bars(_ items: [(label: String, value: Double)], width: Int = 40, unit: String = "",
                            color: Color? = nil) -> String {
        let labelWidth = items.map(\.label.count).max() ?? 0
        let largest = items.map(\.value).filter(\.isFinite).max() ?? 0
        let partial: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var text = ""
        for item in items {
            var bar = ""
            if largest > 0, item.value.isFinite, item.value > 0 {
                let units = Int((Self.unit(item.value, 0, largest) * Double(max(min(width, 1000), 1) * 8)).rounded())
                bar = String(repeating: "█", count: units / 8)
                if units % 8 > 0 { bar.append(partial[units % 8 - 1]) }
            }
            let value = label(item.value) + (unit.isEmpty ? "" : " " + unit)
            text += pad(item.label, labelWidth, left: true) + "  " + paint(bar, color)
                + String(repeating: " ", count: max(0, max(width, 1) + 1 - bar.count)) + value + "\n"
        }
        return text
    }

    /// A compact number: 3 significant digits, `k`/`M`/`G` above 10,000.
    public static func label(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "n/a" : (value > 0 ? "∞" : "-∞") }
        let magnitude = abs(value)
        let sign = value < 0 ? "-" : ""
        for (limit, suffix) in [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e4, "k")] where magnitude >= limit {
            let divisor = limit == 1e4 ? 1e3 : limit
            return sign + significant(magnitude / divisor) + suffix
        }
        return sign + significant(magnitude)
    }

    // MARK: Helpers

    /// `count` columns from `values` (values are spread over columns when there are fewer).
    static func resample(_ values: [Double], to count: Int, reduction: Reduction) -> [Double] {
        guard count > 0, !values.isEmpty else { return [] }
        guard values.count > count else { return values }
        var columns: [Double] = []
        columns.reserveCapacity(count)
        for column in 0..<count {
            let start = column * values.count / count
            let end = max(start + 1, (column + 1) * values.count / count)
            let slice = values[start..<end].filter(\.isFinite)
            guard !slice.isEmpty else { columns.append(.nan); continue }
            switch reduction {
            case .mean: columns.append(slice.reduce(0, +) / Double(slice.count))
            case .max: columns.append(slice.max() ?? .nan)
            case .last: columns.append(slice.last ?? .nan)
            }
        }
        return columns
    }

    /// Where `value` lies between `low` and `high`, 0…1; 0 when the span is empty or not finite
    /// (±1e308 spans overflow to infinity).
    static func unit(_ value: Double, _ low: Double, _ high: Double) -> Double {
        let fraction = (min(max(value, low), high) - low) / (high - low)
        return fraction.isFinite ? min(max(fraction, 0), 1) : 0
    }

    static func bounds(_ values: [Double]) -> (Double, Double)? {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return nil }
        return (low, high)
    }

    static func significant(_ magnitude: Double) -> String {
        if magnitude == 0 { return "0" }
        let digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3
        var text = Numbers.decimal(magnitude, places: digits)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    static func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return left ? text + fill : fill + text
    }

    static func paint(_ text: String, _ color: Color?) -> String {
        guard let color, !text.isEmpty else { return text }
        return "\u{1B}[\(color.code)m" + text + "\u{1B}[0m"
    }
}
