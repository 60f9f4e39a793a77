import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Seconds since 1970 as UTC text, without Foundation's formatters: making one costs far more
/// than a page row, and the fleet page and `/api/v1/targets` print a time per target.
enum UTCTime {
    /// `2026-12-03T10:04:05.123Z` (RFC 3339 with milliseconds, truncated).
    static func rfc3339(_ seconds: Double) -> String {
        let (date, millis) = parts(seconds)
        return date.date + "T" + date.time + "." + pad(millis, 3) + "Z"
    }

    /// `2026-12-03 10:04:05Z`.
    static func readable(_ seconds: Double) -> String {
        let (date, _) = parts(seconds)
        return date.date + " " + date.time + "Z"
    }

    /// `HH:mm:ss`, `HH:mm`, or `MM-dd HH:mm`, for chart ticks.
    static func tick(_ seconds: Double, withSeconds: Bool, withDay: Bool) -> String {
        let (date, _) = parts(seconds)
        let time = withSeconds ? date.time : String(date.time.prefix(5))
        return withDay ? String(date.date.suffix(5)) + " " + time : time
    }

    private static func parts(_ seconds: Double) -> ((date: String, time: String), Int) {
        guard seconds.isFinite, abs(seconds) < 1e15 else { return (("0000-00-00", "00:00:00"), 0) }
        let millisTotal = Int64((seconds * 1000).rounded(.down))
        var whole = time_t(millisTotal >= 0 ? millisTotal / 1000 : (millisTotal - 999) / 1000)
        let millis = Int(millisTotal - Int64(whole) * 1000)
        var fields = tm()
        gmtime_r(&whole, &fields)
        let date = pad(Int(fields.tm_year) + 1900, 4) + "-" + pad(Int(fields.tm_mon) + 1, 2) + "-" + pad(Int(fields.tm_mday), 2)
        let time = pad(Int(fields.tm_hour), 2) + ":" + pad(Int(fields.tm_min), 2) + ":" + pad(Int(fields.tm_sec), 2)
        return ((date, time), millis)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
