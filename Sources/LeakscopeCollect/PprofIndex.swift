import Foundation

/// The counts table of net/http/pprof's index page (`/debug/pprof/`): one row per runtime profile
/// (`goroutine`, `heap`, `threadcreate`, `allocs`, `block`, `mutex`, and `goroutineleak` from Go 1.26 on,
/// plus any profile the program registered itself).
///
/// The page is the only cheap way to learn the goroutine count before deciding whether
/// `goroutine?debug=2` (which stops the world) is affordable. Counts are what `pprof.Profile.Count()`
/// returns: goroutines, OS threads created, and *records* (not bytes) for heap/allocs/block/mutex; the
/// goroutineleak count is from the last leak-detection run, not a fresh one.
public struct PprofIndex: Sendable, Equatable {
    /// Profile name and count, in page order (Go sorts them by name).
    public var counts: [(name: String, count: Int)]

    public static func == (lhs: PprofIndex, rhs: PprofIndex) -> Bool {
        lhs.counts.map(\.name) == rhs.counts.map(\.name) && lhs.counts.map(\.count) == rhs.counts.map(\.count)
    }

    public subscript(name: String) -> Int? { counts.first { $0.name == name }?.count }

    public var goroutineCount: Int? { self["goroutine"] }
    /// Whether the runtime has the goroutineleak profile (Go 1.26 with GOEXPERIMENT, on by default in 1.27).
    public var hasGoroutineLeakProfile: Bool { self["goroutineleak"] != nil }

    /// Endpoints net/http/pprof lists on the page that are not runtime profiles (their count is always 0).
    static let handlerEndpoints: Set<String> = ["cmdline", "profile", "symbol", "trace"]

    /// Parses the page; nil when it has no counts table (a login page, a proxy's page, another app).
    ///
    /// Rows look like `<tr><td>56</td><td><a href='goroutine?debug=1'>goroutine</a></td></tr>`; the scan
    /// tolerates attributes and spacing instead of matching that text exactly.
    public static func parse(_ page: [UInt8]) -> PprofIndex? {
        var counts: [(name: String, count: Int)] = []
        let bytes = page[...]
        var position = bytes.startIndex
        while let row = find(Array("<tr".utf8), in: bytes, from: position) {
            let rowEnd = find(Array("</tr".utf8), in: bytes, from: row) ?? find(Array("<tr".utf8), in: bytes, from: row + 3)
                ?? bytes.endIndex
            position = max(rowEnd, row + 3)
            let cells = bytes[row..<rowEnd]
            guard let firstCell = find(Array("<td".utf8), in: cells, from: cells.startIndex),
                  let cellOpen = cells[firstCell...].firstIndex(of: UInt8(ascii: ">"))
            else { continue }
            var index = cellOpen + 1
            while index < cells.endIndex, cells[index] == 0x20 { index += 1 }
            var count = 0
            var digits = 0
            while index < cells.endIndex, cells[index] >= 0x30, cells[index] <= 0x39, digits < 18 {
                count = count * 10 + Int(cells[index] - 0x30)
                index += 1
                digits += 1
            }
            guard digits > 0,
                  let anchor = find(Array("<a".utf8), in: cells, from: index),
                  let nameStart = cells[anchor...].firstIndex(of: UInt8(ascii: ">")),
                  let nameEnd = find(Array("</a".utf8), in: cells, from: nameStart)
            else { continue }
            let name = unescape(String(decoding: cells[(nameStart + 1)..<nameEnd], as: UTF8.self))
            guard !name.isEmpty, !handlerEndpoints.contains(name) else { continue }
            counts.append((name, count))
        }
        return counts.isEmpty ? nil : PprofIndex(counts: counts)
    }

    private static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>, from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.endIndex - start >= needle.count else { return nil }
        var index = start
        let last = haystack.endIndex - needle.count
        while index <= last {
            if lower(haystack[index]) == needle[0] {
                var matched = true
                for offset in 1..<needle.count where lower(haystack[index + offset]) != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    private static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }

    /// html.EscapeString's five entities.
    private static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&#34;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
