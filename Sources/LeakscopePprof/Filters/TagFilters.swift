import LeakscopeFormat
import LeakscopeProfile

/// pprof's `-tagfocus`/`-tagignore` predicates: `[key=]regexp[,regexp…]` over string
/// labels, or `[key=]range` (`32kb`, `:64kb`, `4mb:`, `12kb:64mb`) over numeric ones.
struct TagFilter {
    private enum Kind {
        case regexps([CachedRegex], key: String?)
        case range(NumericRange, key: String?)
    }
    private let kind: Kind
    let numLabelUnits: [String: String]
    /// True when the value was read as a numeric range (pprof says so on stderr).
    var isRange: Bool { if case .range = kind { return true } else { return false } }

    init(_ option: String, _ spec: String, numLabelUnits: [String: String]) throws {
        self.numLabelUnits = numLabelUnits
        var value = spec
        var key: String? = nil
        if let eq = spec.firstIndex(of: "=") {
            key = String(spec[..<eq])
            value = String(spec[spec.index(after: eq)...])
        }
        if let range = try NumericRange(value) {
            kind = .range(range, key: key)
            return
        }
        var regexps: [CachedRegex] = []
        for part in value.split(separator: ",", omittingEmptySubsequences: false) {
            regexps.append(try CachedRegex(String(part), option: option))
        }
        kind = .regexps(regexps, key: key)
    }

    func matches(_ sample: Sample) -> Bool {
        switch kind {
        case .range(let range, let key):
            for label in sample.labels {
                guard case .number(let v, _) = label.value else { continue }
                if let key, label.key != key { continue }
                if range.contains(v, unit: numLabelUnits[label.key] ?? "") { return true }
            }
            return false
        case .regexps(let regexps, let key):
            if let key {
                for label in sample.labels where label.key == key {
                    guard case .string(let v) = label.value else { continue }
                    if regexps.contains(where: { $0.matches(v) }) { return true }
                }
                return false
            }
            for rx in regexps {
                var found = false
                for label in sample.labels {
                    guard case .string(let v) = label.value else { continue }
                    if rx.matches(label.key + ":" + v) { found = true; break }
                }
                if !found { return false }
            }
            return true
        }
    }
}

/// A numeric label range with units, as pprof's `parseTagFilterRange` reads it.
struct NumericRange {
    enum Bound { case equal, atLeast, atMost, between(Double) }
    let value: Double
    let unit: String
    let bound: Bound

    /// nil when `filter` is not a range (it is then a regexp).
    init?(_ filter: String) throws {
        let tokens = Self.tokens(filter, limit: 2)
        guard let first = tokens.first else { return nil }
        guard let v = Int64(first.digits) else {
            throw PprofReportError("failed to parse int \(first.digits): value out of range")
        }
        let (scaled, unit) = MeasurementUnits.scale(v, from: first.unit, to: first.unit)
        self.value = scaled
        self.unit = unit
        if tokens.count == 1 {
            if filter == first.text { bound = .equal }
            else if filter == first.text + ":" { bound = .atLeast }
            else if filter == ":" + first.text { bound = .atMost }
            else { return nil }
            return
        }
        let second = tokens[1]
        guard filter == first.text + ":" + second.text else { return nil }
        guard let v2 = Int64(second.digits) else {
            throw PprofReportError("failed to parse int \(second.digits): value out of range")
        }
        let (scaled2, unit2) = MeasurementUnits.scale(v2, from: second.unit, to: unit)
        guard unit2 == unit else { return nil }
        bound = .between(scaled2)
    }

    func contains(_ v: Int64, unit u: String) -> Bool {
        let (sv, su) = MeasurementUnits.scale(v, from: u, to: unit)
        guard su == unit else { return false }
        switch bound {
        case .equal: return sv == value
        case .atLeast: return sv >= value
        case .atMost: return sv <= value
        case .between(let high): return sv >= value && sv <= high
        }
    }

    struct Token { var text: String; var digits: String; var unit: String }

    /// Matches of `([+-]?[[:digit:]]+)([[:alpha:]]+)?`, leftmost first.
    static func tokens(_ s: String, limit: Int) -> [Token] {
        let b = Array(s.utf8)
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        func isAlpha(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
        var out: [Token] = []
        var i = 0
        while i < b.count && out.count < limit {
            var j = i
            if b[j] == UInt8(ascii: "+") || b[j] == UInt8(ascii: "-") { j += 1 }
            let digitStart = j
            while j < b.count && isDigit(b[j]) { j += 1 }
            if j == digitStart { i += 1; continue }
            let digitsEnd = j
            while j < b.count && isAlpha(b[j]) { j += 1 }
            out.append(Token(text: String(decoding: b[i..<j], as: UTF8.self),
                             digits: String(decoding: b[i..<digitsEnd], as: UTF8.self),
                             unit: String(decoding: b[digitsEnd..<j], as: UTF8.self)))
            i = j
        }
        return out
    }
}

enum TagFilters {
    /// pprof's `NumLabelUnits`: the first unit seen per numeric key, else "bytes" for
    /// `alignment`/`request`, else the key itself.
    static func numLabelUnits(_ p: Profile) -> [String: String] {
        var units: [String: String] = [:]
        var keys: Set<String> = []
        // Most profiles repeat one key/unit pair on every sample (e.g. heap "bytes");
        // remember the last pair to skip hashing.
        var lastKey = "", lastUnit = "", haveLast = false
        for s in p.samples where !s.labels.isEmpty {
            for label in s.labels {
                guard case .number(_, let unit) = label.value else { continue }
                if haveLast && label.key == lastKey && unit == lastUnit { continue }
                keys.insert(label.key)
                if !unit.isEmpty && units[label.key] == nil { units[label.key] = unit }
                lastKey = label.key; lastUnit = unit; haveLast = true
            }
        }
        for key in keys where (units[key] ?? "").isEmpty {
            units[key] = (key == "alignment" || key == "request") ? "bytes" : key
        }
        return units
    }

    /// pprof's `FilterSamplesByTag`.
    static func bySampleTags(_ p: inout Profile, focus: TagFilter?, ignore: TagFilter?) -> (Bool, Bool) {
        if focus == nil && ignore == nil { return (true, false) }
        var fm = false, im = false
        p.samples.removeAll { s in
            let focused = focus?.matches(s) ?? true
            let ignored = ignore?.matches(s) ?? false
            fm = fm || focused
            im = im || ignored
            return !(focused && !ignored)
        }
        return (fm, im)
    }

    /// pprof's `FilterTagsByName`: keeps labels whose key matches `show` and not `hide`.
    static func byTagNames(_ p: inout Profile, show: CachedRegex?, hide: CachedRegex?) -> (Bool, Bool) {
        guard show != nil || hide != nil else { return (false, false) }
        var sm = false, hm = false
        var removeKey: [String: Bool] = [:]
        for si in p.samples.indices where !p.samples[si].labels.isEmpty {
            p.samples[si].labels.removeAll { label in
                if let known = removeKey[label.key] { return known }
                let matchShow = show?.matches(label.key) ?? true
                let matchHide = hide?.matches(label.key) ?? false
                if matchShow { sm = true }
                if matchHide { hm = true }
                let remove = !matchShow || matchHide
                removeKey[label.key] = remove
                return remove
            }
        }
        return (sm, hm)
    }
}
