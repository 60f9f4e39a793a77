#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Number formatting exactly as `go tool pprof` prints it.
package enum MeasurementFormat {
    /// `value` in `from` units, printed in `to` units: `%.2f` without a trailing `.00`,
    /// then the unit; zero is plain `0`.
    package static func scaledLabel(_ value: Int64, from: String, to: String) -> String {
        let (v, unit) = MeasurementUnits.scale(value, from: from, to: to)
        var text = cFormat("%.2f", v)
        if text.hasSuffix(".00") { text.removeLast(3) }
        if text == "0" || text == "-0" { return "0" }
        return text + unit
    }

    /// `scaledLabel` with automatic unit choice (pprof's `measurement.Label`).
    package static func label(_ value: Int64, unit: String) -> String {
        scaledLabel(value, from: unit, to: "auto")
    }

    /// pprof's percentage column: `  100%`, `%5.2f%%` at or above 1%, else `%5.2g%%`.
    package static func percentage(_ value: Int64, of total: Int64) -> String {
        var ratio = 0.0
        if total != 0 { ratio = abs(Double(value) / Double(total)) * 100 }
        if ratio >= 99.95 && ratio <= 100.05 { return "  100%" }
        if ratio >= 1 { return cFormat("%5.2f", ratio) + "%" }
        return cFormat("%5.2g", ratio) + "%"
    }

    /// printf-style formatting of one double (C's rounding matches Go's for f and g).
    static func cFormat(_ format: String, _ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        let needed = withVaList([value]) { args in
            buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, 64, format, args) }
        }
        if needed >= 64 {
            buffer = [CChar](repeating: 0, count: Int(needed) + 1)
            _ = withVaList([value]) { args in
                buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, Int(needed) + 1, format, args) }
            }
        }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// pprof's `abs64`: Go negates with wrap-around, so `Int64.min` stays `Int64.min` (negative)
    /// instead of trapping. Used wherever pprof ranks or trims by magnitude, to stay byte-identical.
    package static func abs64(_ value: Int64) -> Int64 {
        value < 0 ? 0 &- value : value
    }

    /// Go's `int64(float64)` for the values pprof converts: truncation, saturating
    /// instead of trapping on out-of-range input.
    package static func truncate(_ value: Double) -> Int64 {
        if value.isNaN { return .min }
        if value >= 9.223372036854775807e18 { return .min }  // Go on amd64 yields MinInt64
        if value < -9.223372036854775808e18 { return .min }
        return Int64(value)
    }
}

/// An output byte buffer with Go-`fmt`-like padding helpers.
package struct TextOutput {
    package var bytes: [UInt8] = []

    package init() {}

    package mutating func write(_ text: String) { bytes.append(contentsOf: text.utf8) }
    package mutating func write(_ raw: [UInt8]) { bytes.append(contentsOf: raw) }
    package mutating func newline() { bytes.append(0x0A) }
    package mutating func line(_ text: String) { write(text); newline() }

    /// `%Ns`: right-aligns `text` in `width` characters (runes, as Go counts).
    package mutating func padLeft(_ text: String, _ width: Int) {
        let count = text.unicodeScalars.count
        if count < width { bytes.append(contentsOf: repeatElement(0x20, count: width - count)) }
        write(text)
    }
}
