/// Which files a build includes: GOOS/GOARCH (file-name suffixes and `//go:build` lines, with the
/// older `// +build` lines honoured when there is no `//go:build`), `_test.go` files on request.
public struct BuildContext: Sendable, Hashable {
    public var goos: String
    public var goarch: String
    /// Include `_test.go` files.
    public var tests: Bool
    /// Whether the `cgo` tag holds (go vet's default with a C compiler present).
    public var cgo: Bool
    /// Highest `go1.N` release tag that holds.
    public var goMinor: Int

    /// A context for `goos`/`goarch`.
    public init(goos: String = "linux", goarch: String = "amd64", tests: Bool = false, cgo: Bool = true, goMinor: Int = 27) {
        self.goos = goos
        self.goarch = goarch
        self.tests = tests
        self.cgo = cgo
        self.goMinor = goMinor
    }

    /// Every GOOS value Go knows (for file-name suffixes).
    public static let knownOS: Set<String> = [
        "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux", "nacl", "netbsd",
        "openbsd", "plan9", "solaris", "wasip1", "windows", "zos",
    ]
    /// Every GOARCH value Go knows.
    public static let knownArch: Set<String> = [
        "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips", "mipsle", "mips64",
        "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le", "riscv", "riscv64", "s390", "s390x",
        "sparc", "sparc64", "wasm",
    ]
    static let unixOS: Set<String> = [
        "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "linux", "netbsd", "openbsd", "solaris",
    ]

    /// Whether a tag holds.
    public func holds(_ tag: String) -> Bool {
        if tag == goos || tag == goarch || tag == "gc" { return true }
        if tag == "unix" { return Self.unixOS.contains(goos) }
        if tag == "cgo" { return cgo }
        if goos == "android" && tag == "linux" { return true }
        if (goos == "illumos" && tag == "solaris") || (goos == "ios" && tag == "darwin") { return true }
        if tag.hasPrefix("go1."), let minor = Int(tag.dropFirst(4)) { return minor <= goMinor }
        return false
    }

    /// Whether a file with this name (no directory) is built, from its name alone.
    public func matchesName(_ name: String) -> Bool {
        guard name.hasSuffix(".go"), !name.hasPrefix("_"), !name.hasPrefix(".") else { return false }
        var stem = String(name.dropLast(3))
        if stem.hasSuffix("_test") {
            guard tests else { return false }
            stem = String(stem.dropLast(5))
        }
        let parts = stem.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return true }
        let last = String(parts[parts.count - 1])
        if parts.count >= 3, Self.knownOS.contains(String(parts[parts.count - 2])), Self.knownArch.contains(last) {
            return holds(String(parts[parts.count - 2])) && holds(last)
        }
        if Self.knownOS.contains(last) || Self.knownArch.contains(last) { return holds(last) }
        return true
    }

    /// Whether the constraint lines at the top of `bytes` (before the package clause) hold.
    public func matchesConstraints(_ bytes: [UInt8]) -> Bool {
        var plusLines: [String] = []
        for line in Self.headerLines(bytes) {
            if line.hasPrefix("//go:build"), line.count > 10, line.dropFirst(10).first == " " || line.dropFirst(10).first == "\t" {
                var parser = ConstraintParser(text: Array(line.dropFirst(10).utf8), context: self)
                return parser.evaluate() ?? true
            }
            if line.hasPrefix("// +build ") { plusLines.append(String(line.dropFirst(10))) }
        }
        // `// +build` lines: all lines must hold; a line holds if any space-separated option does;
        // an option holds if all its comma-separated terms do.
        for line in plusLines {
            let options = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            let holdsLine = options.contains { option in
                option.split(separator: ",").allSatisfy { term in
                    term.hasPrefix("!") ? !holds(String(term.dropFirst())) : holds(String(term))
                }
            }
            if !holdsLine { return false }
        }
        return true
    }

    /// The comment lines before the package clause (line comments only; block comments are skipped).
    static func headerLines(_ bytes: [UInt8]) -> [String] {
        var lines: [String] = []
        var offset = 0
        var inBlock = false
        let n = bytes.count
        while offset < n {
            var end = offset
            while end < n && bytes[end] != 0x0A { end += 1 }
            var line = bytes[offset..<end]
            while let first = line.first, first == 0x20 || first == 0x09 { line = line.dropFirst() }
            while let last = line.last, last == 0x20 || last == 0x09 || last == 0x0D { line = line.dropLast() }
            offset = end + 1
            if inBlock {
                if line.firstRange(of: [UInt8(ascii: "*"), UInt8(ascii: "/")]) != nil { inBlock = false }
                continue
            }
            if line.isEmpty { continue }
            if line.starts(with: [UInt8(ascii: "/"), UInt8(ascii: "/")]) {
                lines.append(String(decoding: line, as: UTF8.self))
                continue
            }
            if line.starts(with: [UInt8(ascii: "/"), UInt8(ascii: "*")]) {
                if line.dropFirst(2).firstRange(of: [UInt8(ascii: "*"), UInt8(ascii: "/")]) == nil { inBlock = true }
                continue
            }
            break
        }
        return lines
    }
}

/// `//go:build` expressions: `||`, `&&`, `!`, parentheses, tags. Nil when malformed.
struct ConstraintParser {
    let text: [UInt8]
    let context: BuildContext
    var offset = 0

    init(text: [UInt8], context: BuildContext) {
        self.text = text
        self.context = context
    }

    mutating func evaluate() -> Bool? {
        guard let value = parseOr() else { return nil }
        skipSpaces()
        return offset == text.count ? value : nil
    }

    mutating func skipSpaces() { while offset < text.count && (text[offset] == 0x20 || text[offset] == 0x09) { offset += 1 } }

    mutating func eat(_ s: String) -> Bool {
        skipSpaces()
        let b = Array(s.utf8)
        if text[offset...].starts(with: b) { offset += b.count; return true }
        return false
    }

    mutating func parseOr() -> Bool? {
        guard var value = parseAnd() else { return nil }
        while eat("||") {
            guard let rhs = parseAnd() else { return nil }
            value = value || rhs
        }
        return value
    }

    mutating func parseAnd() -> Bool? {
        guard var value = parseNot() else { return nil }
        while eat("&&") {
            guard let rhs = parseNot() else { return nil }
            value = value && rhs
        }
        return value
    }

    mutating func parseNot() -> Bool? {
        if eat("!") { return parseNot().map { !$0 } }
        if eat("(") {
            guard let value = parseOr(), eat(")") else { return nil }
            return value
        }
        skipSpaces()
        let start = offset
        while offset < text.count {
            let c = text[offset]
            let isTagChar = (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x2E
            if !isTagChar { break }
            offset += 1
        }
        guard offset > start else { return nil }
        return context.holds(String(decoding: text[start..<offset], as: UTF8.self))
    }
}
