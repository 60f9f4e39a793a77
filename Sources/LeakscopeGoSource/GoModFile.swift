/// What the loader needs of a `go.mod` file (the module path and the `go 1.N` line), read with
/// the checks the go command makes before it builds anything: a file it refuses (random bytes,
/// a misspelt directive, an unterminated block, no `module` line) is an input error naming the
/// line, not a module with an empty path.
struct GoModFile {
    /// The path of the `module` directive.
    var modulePath: String
    /// The `N` of `go 1.N[.P]`, when there is such a line.
    var goMinor: Int?

    /// A go.mod the go command would refuse: `path:line[:column]: reason`, as it says it.
    struct Problem: Error, Equatable {
        var description: String
    }

    /// The directives the go command knows (`cmd/go`'s modfile grammar, Go 1.27).
    static let directives: Set<Substring> = [
        "module", "go", "toolchain", "godebug", "require", "exclude", "replace", "retract", "tool", "ignore",
    ]

    /// Reads `bytes`, the contents of the go.mod at `path` (named in problems).
    static func parse(_ bytes: [UInt8], path: String) -> Result<GoModFile, Problem> {
        func problem(_ line: Int, _ column: Int? = nil, _ reason: String) -> Result<GoModFile, Problem> {
            .failure(Problem(description: "\(path):\(line)\(column.map { ":\($0)" } ?? ""): \(reason)"))
        }
        var modulePath: String?
        var goMinor: Int?
        var openBlock: (line: Int, directive: Substring)?
        var line = 1
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            // Control bytes other than tab and a CRLF's CR end the go command's reading too.
            for i in start..<end where bytes[i] < 0x20 && bytes[i] != UInt8(ascii: "\t")
                && !(bytes[i] == UInt8(ascii: "\r") && i == end - 1) || bytes[i] == 0x7f {
                return problem(line, i - start + 1, "unexpected input character \(Self.quoted(bytes[i]))")
            }
            guard let text = String(validating: bytes[start..<end], as: UTF8.self) else {
                return problem(line, nil, "invalid UTF-8")
            }
            let words = Self.withoutComment(text).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if let first = words.first {
                if let block = openBlock {
                    if first == ")" { openBlock = nil } else if block.directive == "module" { modulePath = String(first) }
                } else if !directives.contains(first) {
                    return problem(line, nil, "unknown directive: \(first)")
                } else if words.count > 1 && words[1] == "(" {
                    openBlock = (line, first)
                } else if first == "module" {
                    guard words.count == 2 else { return problem(line, nil, "usage: module module/path") }
                    modulePath = String(words[1]).replacingQuotes()
                } else if first == "go", words.count == 2, words[1].hasPrefix("1.") {
                    goMinor = Int(words[1].dropFirst(2).prefix { $0.isNumber })
                }
            }
            line += 1
            start = end + 1
        }
        if let block = openBlock {
            return problem(line - 1, nil, "syntax error (unterminated block started at \(path):\(block.line):1)")
        }
        guard let modulePath, !modulePath.isEmpty else {
            return .failure(Problem(description: "\(path): missing module declaration"))
        }
        return .success(GoModFile(modulePath: modulePath, goMinor: goMinor))
    }

    /// `text` up to a `//` comment outside a quoted string.
    static func withoutComment(_ text: String) -> Substring {
        var quote: Character?
        var previous: Character?
        for index in text.indices {
            let c = text[index]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "`" {
                quote = c
            } else if c == "/" && previous == "/" {
                return text[..<text.index(before: index)]
            }
            previous = c
        }
        return text[...]
    }

    /// A byte as the go command quotes it (`'\a'`, `'\x00'`).
    static func quoted(_ byte: UInt8) -> String {
        let named: [UInt8: String] = [7: "\\a", 8: "\\b", 11: "\\v", 12: "\\f", 13: "\\r"]
        if let name = named[byte] { return "'\(name)'" }
        let hex = String(byte, radix: 16)
        return "'\\x\(hex.count == 1 ? "0" : "")\(hex)'"
    }
}
