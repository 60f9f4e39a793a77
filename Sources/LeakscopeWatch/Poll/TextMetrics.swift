import Foundation

/// Values from a Prometheus text exposition (format 0.0.4): `name{labels} value [timestamp]` lines.
/// Only the names asked for are kept; an unlabelled sample wins over labelled ones, else the first.
enum PrometheusText {
    static func values(_ body: [UInt8], names: Set<String>) -> [String: Double] {
        var out: [String: Double] = [:]
        var labelled: Set<String> = []
        for line in body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            guard let first = line.first, first != UInt8(ascii: "#") else { continue }
            let nameEnd = line.firstIndex { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") } ?? line.endIndex
            let name = String(decoding: line[line.startIndex..<nameEnd], as: UTF8.self)
            guard names.contains(name) else { continue }
            var rest = line[nameEnd...]
            let hasLabels = rest.first == UInt8(ascii: "{")
            if hasLabels {
                // Label values may hold '}' only escaped inside quotes: skip to the closing brace outside quotes.
                var inQuotes = false, escaped = false, end: Int? = nil
                for i in rest.indices {
                    let c = rest[i]
                    if escaped { escaped = false; continue }
                    if c == UInt8(ascii: "\\") { escaped = true; continue }
                    if c == UInt8(ascii: "\"") { inQuotes.toggle() }
                    if c == UInt8(ascii: "}") && !inQuotes { end = i; break }
                }
                guard let end else { continue }
                rest = rest[(end + 1)...]
            }
            let fields = rest.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
            guard let field = fields.first, let value = Double(String(decoding: field, as: UTF8.self)) else { continue }
            if out[name] == nil || (!hasLabels && labelled.contains(name)) {
                out[name] = value
                if hasLabels { labelled.insert(name) } else { labelled.remove(name) }
            }
        }
        return out
    }
}

/// The `# runtime.MemStats` trailer of `heap?debug=1` (`# HeapInuse = 4194304`). Works on bytes from
/// the end of the body, so its cost does not depend on how many heap records precede the trailer.
enum MemStatsTrailer {
    static let fields: [(key: [UInt8], name: String)] = [
        (Array("HeapInuse".utf8), "heap_inuse_bytes"),
        (Array("HeapAlloc".utf8), "heap_alloc_bytes"),
        (Array("GCCPUFraction".utf8), "gc_cpu_fraction"),
    ]
    static let marker = Array("# runtime.MemStats".utf8)

    static func values(_ body: [UInt8]) -> [(String, Double)] {
        guard let start = ByteSearch.last(marker, in: body) else { return [] }
        var out: [(String, Double)] = []
        var line = start
        while line < body.count {
            let end = body[line...].firstIndex(of: UInt8(ascii: "\n")) ?? body.count
            // "# Key = value"
            if end - line > 4, body[line] == UInt8(ascii: "#"), body[line + 1] == UInt8(ascii: " ") {
                for field in fields where body[(line + 2)...].starts(with: field.key) {
                    let after = line + 2 + field.key.count
                    guard after + 3 <= end, body[after..<(after + 3)].elementsEqual(" = ".utf8) else { continue }
                    if let value = Double(String(decoding: body[(after + 3)..<end], as: UTF8.self)) {
                        out.append((field.name, value))
                    }
                }
            }
            line = end + 1
        }
        return out
    }
}

/// The goroutine count on net/http/pprof's index page, read straight from its row
/// (`<td>56</td><td><a href='goroutine?debug=1'>`), without parsing the whole page.
enum IndexGoroutines {
    static let anchor = Array("href='goroutine?debug=1'".utf8)

    static func count(_ page: [UInt8]) -> Int? {
        guard let at = ByteSearch.first(anchor, in: page) else { return nil }
        // Back to the previous "</td>", then the digits before it.
        var i = at - 1
        while i >= 4, !(page[i] == UInt8(ascii: ">") && page[(i - 4)...i].elementsEqual("</td>".utf8)) { i -= 1 }
        guard i >= 4 else { return nil }
        var j = i - 5
        var value = 0, scale = 1, digits = 0
        while j >= 0, page[j] >= 0x30, page[j] <= 0x39, digits < 18 {
            value += Int(page[j] - 0x30) * scale
            scale *= 10
            digits += 1
            j -= 1
        }
        return digits > 0 ? value : nil
    }
}

enum ByteSearch {
    static func first(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var i = 0
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0], haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    static func last(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var i = haystack.count - needle.count
        while i >= 0 {
            if haystack[i] == needle[0], haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i -= 1
        }
        return nil
    }
}
