/// Go's `path/filepath` `Clean` and `Base` for slash-separated paths, which pprof
/// applies to file names in reports.
enum GoPath {
    /// Lexically shortest equivalent path: collapses `//`, `.` and `..` elements.
    static func clean(_ path: String) -> String {
        if path.isEmpty { return "." }
        let bytes = Array(path.utf8)
        let rooted = bytes[0] == UInt8(ascii: "/")
        var parts: [ArraySlice<UInt8>] = []
        var i = 0
        while i < bytes.count {
            var j = i
            while j < bytes.count && bytes[j] != UInt8(ascii: "/") { j += 1 }
            let part = bytes[i..<j]
            if part.isEmpty || (part.count == 1 && part.first == UInt8(ascii: ".")) {
                // skip
            } else if part.count == 2 && part.allSatisfy({ $0 == UInt8(ascii: ".") }) {
                if let last = parts.last, !(last.count == 2 && last.allSatisfy({ $0 == UInt8(ascii: ".") })) {
                    parts.removeLast()
                } else if !rooted {
                    parts.append(part)
                }
            } else {
                parts.append(part)
            }
            i = j + 1
        }
        var out: [UInt8] = rooted ? [UInt8(ascii: "/")] : []
        for (k, part) in parts.enumerated() {
            if k > 0 { out.append(UInt8(ascii: "/")) }
            out.append(contentsOf: part)
        }
        if out.isEmpty { return "." }
        return String(decoding: out, as: UTF8.self)
    }

    /// The last element of `path`, ignoring trailing slashes.
    static func base(_ path: String) -> String {
        if path.isEmpty { return "." }
        var bytes = Array(path.utf8)
        while bytes.count > 1 && bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        if bytes == [UInt8(ascii: "/")] { return "/" }
        if let slash = bytes.lastIndex(of: UInt8(ascii: "/")) {
            return String(decoding: bytes[(slash + 1)...], as: UTF8.self)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
