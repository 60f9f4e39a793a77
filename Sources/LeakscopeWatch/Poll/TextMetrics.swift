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

/// The `# runtime.MemStats` trailer of `heap?debug=1` (`# HeapInuse = 4194304`).
enum MemStatsTrailer {
    static let fields: [String: String] = [
        "HeapInuse": "heap_inuse_bytes",
        "HeapAlloc": "heap_alloc_bytes",
        "GCCPUFraction": "gc_cpu_fraction",
    ]

    static func values(_ body: [UInt8]) -> [(String, Double)] {
        var out: [(String, Double)] = []
        // The trailer is at the end: scan lines from the last "# runtime.MemStats".
        let text = String(decoding: body, as: UTF8.self)
        guard let start = text.range(of: "# runtime.MemStats") else { return out }
        for line in text[start.upperBound...].split(separator: "\n") where line.hasPrefix("# ") {
            let parts = line.dropFirst(2).split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            guard let name = fields[key], let value = Double(parts[1].trimmingCharacters(in: .whitespaces)) else { continue }
            out.append((name, value))
        }
        return out
    }
}
