/// Number formatting for findings: plain, locale-free and cheap (no Foundation formatters).
public enum DiagnoseFormat {
    /// `1204` → `1,204`; negative numbers keep their sign.
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return value < 0 ? "-" + out : out
    }

    /// Bytes in binary units with one decimal: `12.4 MB`, `900 kB`, `17 B` (pprof's spelling).
    public static func bytes(_ value: Double) -> String {
        let magnitude = abs(value)
        let sign = value < 0 ? "-" : ""
        let units: [(Double, String)] = [(1_099_511_627_776, "TB"), (1_073_741_824, "GB"), (1_048_576, "MB"), (1024, "kB")]
        for (size, name) in units where magnitude >= size {
            return sign + decimal(magnitude / size, places: magnitude / size >= 100 ? 0 : 1) + " " + name
        }
        return sign + decimal(magnitude, places: 0) + " B"
    }

    /// A signed rate: `+3.1`, `−0.4`, `+120`.
    public static func signed(_ value: Double) -> String {
        let text = decimal(abs(value), places: abs(value) >= 100 ? 0 : 1)
        return (value < 0 ? "−" : "+") + text
    }

    /// A percentage of a share in 0…1: `12.5%`, `0.3%`.
    public static func percent(_ share: Double) -> String {
        decimal(share * 100, places: share * 100 >= 10 ? 0 : 1) + "%"
    }

    /// Seconds as `850ms`, `12.3s`, `4m10s`.
    public static func duration(seconds: Double) -> String {
        if seconds < 1 { return decimal(seconds * 1000, places: 0) + "ms" }
        if seconds < 120 { return decimal(seconds, places: seconds < 10 ? 1 : 0) + "s" }
        let whole = Int(seconds.rounded())
        return "\(whole / 60)m\(whole % 60)s"
    }

    /// Fixed-point decimal without Foundation; non-finite values print as `0`.
    public static func decimal(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<max(0, places) { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e18 else { return value < 0 ? "-∞" : "∞" }
        let whole = Int64(scaled)
        let factor = Int64(scale)
        var text = String(whole / factor)
        if places > 0 {
            var fraction = String(whole % factor)
            while fraction.count < places { fraction = "0" + fraction }
            text += "." + fraction
        }
        return (value < 0 && whole != 0 ? "-" : "") + text
    }
}
