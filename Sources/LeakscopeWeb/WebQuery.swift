import LeakscopePprof

/// A request's query string, read as Go's `url.ParseQuery` reads it (`+` is a space, `%XX` a
/// byte; the first value of a repeated key wins, as with `Values.Get`), and written back in
/// the same form so links keep every setting.
struct WebQuery: Sendable, Equatable {
    /// Pairs in their order of appearance.
    private(set) var pairs: [(key: String, value: String)] = []

    static func == (a: WebQuery, b: WebQuery) -> Bool {
        a.pairs.map { $0.key + "=" + $0.value } == b.pairs.map { $0.key + "=" + $0.value }
    }

    init() {}

    /// Parses a raw query (without `?`). Malformed escapes are kept as written.
    init(_ raw: String) {
        for part in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(pieces[0])
            let value = pieces.count > 1 ? Self.decode(pieces[1]) : ""
            pairs.append((key, value))
        }
    }

    /// The first value for `key`, nil when absent or empty (pprof ignores empty parameters).
    subscript(key: String) -> String? {
        guard let value = pairs.first(where: { $0.key == key })?.value, !value.isEmpty else { return nil }
        return value
    }

    /// A copy with `key` set to `value` (nil removes it).
    func setting(_ key: String, _ value: String?) -> WebQuery {
        var copy = self
        copy.pairs.removeAll { $0.key == key }
        if let value, !value.isEmpty { copy.pairs.append((key, value)) }
        return copy
    }

    /// A copy keeping only the keys in `keys`.
    func keeping(_ keys: Set<String>) -> WebQuery {
        var copy = self
        copy.pairs.removeAll { !keys.contains($0.key) }
        return copy
    }

    /// `?a=b&c=d`, or "" when empty.
    var string: String {
        if pairs.isEmpty { return "" }
        return "?" + pairs.map { Self.encode($0.key) + "=" + Self.encode($0.value) }.joined(separator: "&")
    }

    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                      let high = hexValue(iterator[iterator.startIndex]),
                      let low = hexValue(iterator[iterator.startIndex + 1]) {
                bytes.append(high << 4 | low)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                 UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF")
                out += "%" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 15)])
            }
        }
        return out
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// pprof's URL parameters (`internal/driver/config.go`, `urlparam`) laid over the command line's
/// options, as its web UI's `applyURL` does: a parameter that is present replaces the setting,
/// an absent or empty one keeps it.
enum URLSettings {
    /// Every parameter a view keeps in its links (the settings plus `f`'s aliases).
    static let names: Set<String> = [
        "dropneg", "calltree", "rel", "unit", "compact", "intel", "n", "nf", "ef", "trim", "f", "i", "prunefrom", "h",
        "s", "sf", "tf", "ti", "ts", "th", "mean", "si", "norm", "sort", "g", "noinlines", "showcolumns",
    ]

    /// Longest parameter value accepted (a regexp); longer is a 400.
    static let maxValueLength = 4096

    /// `options` with `query` applied. Throws a one-line message naming the parameter.
    static func apply(_ query: WebQuery, to options: PprofOptions) throws(WebError) -> PprofOptions {
        var o = options
        for pair in query.pairs where names.contains(pair.key) && pair.value.utf8.count > maxValueLength {
            throw WebError(.badRequest, "parameter \(pair.key): value longer than \(maxValueLength) bytes")
        }
        func bool(_ key: String) throws(WebError) -> Bool? {
            guard let value = query[key] else { return nil }
            switch value {
            case "1", "t", "T", "true", "TRUE", "True": return true
            case "0", "f", "F", "false", "FALSE", "False": return false
            default: throw WebError(.badRequest, "parameter \(key): \"\(value)\" is not a boolean")
            }
        }
        func int(_ key: String) throws(WebError) -> Int? {
            guard let value = query[key] else { return nil }
            guard let number = Int(value) else { throw WebError(.badRequest, "parameter \(key): \"\(value)\" is not an integer") }
            return number
        }
        func float(_ key: String) throws(WebError) -> Double? {
            guard let value = query[key] else { return nil }
            guard let number = Double(value), number.isFinite else {
                throw WebError(.badRequest, "parameter \(key): \"\(value)\" is not a number")
            }
            return number
        }
        if let v = try bool("dropneg") { o.dropNegative = v }
        if let v = try bool("calltree") { o.callTree = v }
        if let v = try bool("rel") { o.relativePercentages = v }
        if let v = query["unit"] { o.unit = v }
        if let v = try bool("compact") { o.compactLabels = v }
        if let v = try int("n") { o.nodeCount = v }
        if let v = try float("nf") { o.nodeFraction = v }
        if let v = try float("ef") { o.edgeFraction = v }
        if let v = try bool("trim") { o.trim = v }
        if let v = query["f"] { o.focus = v }
        if let v = query["i"] { o.ignore = v }
        if let v = query["prunefrom"] { o.pruneFrom = v }
        if let v = query["h"] { o.hide = v }
        if let v = query["s"] { o.show = v }
        if let v = query["sf"] { o.showFrom = v }
        if let v = query["tf"] { o.tagFocus = v }
        if let v = query["ti"] { o.tagIgnore = v }
        if let v = query["ts"] { o.tagShow = v }
        if let v = query["th"] { o.tagHide = v }
        if let v = try bool("mean") { o.mean = v }
        if let v = query["si"] { o.sampleIndex = v }
        if let v = try bool("norm") { o.normalize = v }
        if let v = query["sort"] {
            switch v {
            case "cum": o.sortByCum = true
            case "flat": o.sortByCum = false
            default: throw WebError(.badRequest, "parameter sort: \"\(v)\" must be cum or flat")
            }
        }
        if let v = query["g"] {
            guard let granularity = Granularity(rawValue: v) else {
                throw WebError(.badRequest, "parameter g: \"\(v)\" must be one of functions, filefunctions, files, lines, addresses")
            }
            o.granularity = granularity
        }
        if let v = try bool("noinlines") { o.noInlines = v }
        if let v = try bool("showcolumns") { o.showColumns = v }
        try checkRegexps(o)
        return o
    }

    /// A bad regexp in a filter is reported naming its parameter, before any work is done.
    static func checkRegexps(_ o: PprofOptions) throws(WebError) {
        let checked: [(String, String?)] = [("f", o.focus), ("i", o.ignore), ("h", o.hide), ("s", o.show),
                                            ("sf", o.showFrom), ("prunefrom", o.pruneFrom), ("ts", o.tagShow),
                                            ("th", o.tagHide)]
        for (key, pattern) in checked {
            guard let pattern else { continue }
            do {
                _ = try Regex(pattern)
            } catch {
                throw WebError(.badRequest, "parameter \(key): bad regexp \"\(pattern)\": \(firstLine(error))")
            }
        }
    }

    private static func firstLine(_ error: any Error) -> String {
        let text = String(describing: error)
        return String(text.split(separator: "\n").first ?? Substring(text))
    }
}
