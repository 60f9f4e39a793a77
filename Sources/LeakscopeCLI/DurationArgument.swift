import ArgumentParser

/// A command-line duration in Go's style: `500ms`, `30s`, `2m`, `1h`, `1m30s`, `1.5s`. A unit is required
/// (a bare `30` is ambiguous between seconds and milliseconds).
struct DurationArgument: ExpressibleByArgument, Sendable, Equatable, CustomStringConvertible {
    var duration: Duration
    /// As given, for messages and help defaults.
    var text: String

    init(_ duration: Duration, text: String) {
        self.duration = duration
        self.text = text
    }

    init?(argument: String) {
        guard let duration = Self.parse(argument) else { return nil }
        self.init(duration, text: argument)
    }

    var description: String { text }
    var defaultValueDescription: String { text }

    /// Nanoseconds per unit, longest names first so `ms` is not read as `m`.
    private static let units: [(name: String, nanoseconds: Int64)] = [
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000),
        ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ]

    /// Parses a sequence of `<number><unit>` parts; nil for anything else, a missing unit or more than
    /// about 290 years (so the arithmetic cannot overflow).
    static func parse(_ text: String) -> Duration? {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { return nil }
        if rest == "0" { return .zero }
        var total: Int64 = 0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number.filter({ $0 == "." }).count <= 1, number != "." else { return nil }
            rest = rest.dropFirst(number.count)
            guard let unit = units.sorted(by: { $0.name.count > $1.name.count }).first(where: { rest.hasPrefix($0.name) })
            else { return nil }
            rest = rest.dropFirst(unit.name.count)
            let parts = number.split(separator: ".", omittingEmptySubsequences: false)
            guard let whole = Int64(parts[0].isEmpty ? "0" : parts[0]) else { return nil }
            var (value, overflow) = whole.multipliedReportingOverflow(by: unit.nanoseconds)
            guard !overflow else { return nil }
            if parts.count == 2, !parts[1].isEmpty {
                // Fraction digits beyond nanosecond precision are dropped.
                var scale = unit.nanoseconds
                for digit in parts[1] {
                    scale /= 10
                    guard scale > 0, let d = digit.wholeNumberValue else { break }
                    (value, overflow) = value.addingReportingOverflow(Int64(d) * scale)
                    guard !overflow else { return nil }
                }
            }
            (total, overflow) = total.addingReportingOverflow(value)
            guard !overflow else { return nil }
        }
        return .nanoseconds(total)
    }

    static var helpText: String { "a duration such as 500ms, 30s, 2m or 1m30s" }
}
