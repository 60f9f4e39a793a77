/// The one way leakscope prints a number in text, JSON summaries and HTML (pprof-compatible reports
/// keep pprof's own formatting: `MeasurementFormat`). Plain, locale-free and cheap: no Foundation
/// formatters, safe for any `Double` (NaN prints `n/a`, infinities `∞`/`-∞`, nothing traps).
///
/// The convention (README, "How numbers read"):
/// - counts are whole and grouped by thousands: `1,204`;
/// - measured quantities keep one decimal below 100 and none from 100 up: `3.5`, `12.0`, `2,793`;
/// - sizes are 1024-based and spelled as Go's tools spell them (`B`, `kB`, `MB`, `GB`, `TB`; 1 MB is
///   1,048,576 bytes, as in `go tool pprof` and gctrace): `12.4 MB`, `900 kB`, `17 B`;
/// - shares are percentages without a space: `62%`, `4.5%`;
/// - changes carry a sign, ASCII: `+3.1`, `-0.4`, `+28.3 MB/min`;
/// - durations read like Go's `time.Duration`, rounded: `850ms`, `4.5s`, `45s`, `4m10s`, `2h05m`.
public enum Numbers {
    /// `1204` → `1,204`; negative numbers keep their sign.
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        out.reserveCapacity(digits.count + digits.count / 3 + 1)
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return value < 0 ? "-" + out : out
    }

    /// A count held in a `Double` (a sum of sample values), rounded; magnitudes beyond `Int` print as
    /// `decimal` does rather than trap.
    public static func count(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 9e18 else { return nonFinite(value) ?? decimal(value, places: 0) }
        return count(Int(value.rounded()))
    }

    /// A measured quantity: one decimal below 100, none from 100 up, grouped like a count from
    /// 1,000 up (`3.5`, `12.0`, `240`, `2,793`).
    public static func quantity(_ value: Double) -> String {
        abs(value) >= 100 ? count(value) : decimal(value, places: 1)
    }

    /// Bytes in 1024-based units: `12.4 MB`, `900 kB`, `17 B`.
    public static func bytes(_ value: Double) -> String {
        if let text = nonFinite(value) { return text }
        let magnitude = abs(value)
        let sign = value < 0 ? "-" : ""
        for (size, name) in byteUnits where magnitude >= size {
            return sign + quantity(magnitude / size) + " " + name
        }
        return sign + decimal(magnitude, places: 0) + " B"
    }

    /// `bytes` with a sign: `+3.0 MB`, `-512 kB`.
    public static func signedBytes(_ value: Double) -> String {
        (value < 0 ? "" : "+") + bytes(value)
    }

    /// A change with its sign: `+3.1`, `-0.4`, `+120`.
    public static func signed(_ value: Double) -> String {
        if let text = nonFinite(value) { return value > 0 ? "+" + text : text }
        let text = quantity(value)
        return text.hasPrefix("-") ? text : "+" + text
    }

    /// A share in 0…1 as a percentage: `62%`, `4.5%` (one decimal below 10%).
    public static func percent(_ share: Double) -> String {
        percentage(share * 100)
    }

    /// A value already in percent: `62%`, `4.5%`.
    public static func percentage(_ value: Double) -> String {
        if let text = nonFinite(value) { return text }
        return decimal(value, places: abs(value) >= 10 ? 0 : 1) + "%"
    }

    /// Seconds like Go's `time.Duration`, rounded: `850ms`, `4.5s`, `45s`, `4m10s`, `2h05m`.
    public static func duration(seconds: Double) -> String {
        if let text = nonFinite(seconds) { return text }
        if seconds < 0 { return "-" + duration(seconds: -seconds) }
        if seconds == 0 { return "0s" }
        if seconds < 1 { return decimal(seconds * 1000, places: 0) + "ms" }
        if seconds < 10 { return decimal(seconds, places: 1) + "s" }
        if seconds < 120 { return decimal(seconds, places: 0) + "s" }
        guard seconds < 9e15 else { return decimal(seconds / 3600, places: 0) + "h" }
        let whole = Int64(seconds.rounded())
        if whole < 7200 { return "\(whole / 60)m\(pad2(whole % 60))s" }
        let minutes = (whole + 30) / 60
        return "\(minutes / 60)h\(pad2(minutes % 60))m"
    }

    /// Fixed-point decimal with `places` digits after the point (`decimal(3.14159, places: 2)` = `3.14`).
    public static func decimal(_ value: Double, places: Int) -> String {
        if let text = nonFinite(value) { return text }
        let places = min(max(0, places), 9)
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        // Past 2^63 the integer path would trap; such values are hostile input, printed plainly.
        guard scaled < 9e18 else { return value.description }
        let whole = Int64(scaled)
        let factor = Int64(scale)
        var text = String(whole / factor)
        if places > 0 {
            let fraction = String(whole % factor)
            text += "." + String(repeating: "0", count: places - fraction.count) + fraction
        }
        return (value < 0 && whole != 0 ? "-" : "") + text
    }

    private static let byteUnits: [(Double, String)] = [
        (1_099_511_627_776, "TB"), (1_073_741_824, "GB"), (1_048_576, "MB"), (1024, "kB"),
    ]

    private static func nonFinite(_ value: Double) -> String? {
        if value.isNaN { return "n/a" }
        if value.isInfinite { return value > 0 ? "∞" : "-∞" }
        return nil
    }

    private static func pad2(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
