/// Go's lexical scanner over raw bytes, with the spec's automatic semicolon insertion.
///
/// A semicolon is inserted at a newline (or a `//` comment, a `/*…*/` spanning lines, or the end of
/// the file) when the line's last token is an identifier, a literal, one of `break continue
/// fallthrough return`, or one of `++ -- ) ] }`. Non-ASCII bytes are taken as identifier letters,
/// which accepts every valid Go identifier (and a few invalid ones the compiler would reject).
public struct GoScanner {
    let bytes: [UInt8]
    var offset = 0
    var insertSemi = false
    /// Every token, ending with `.eof`.
    public private(set) var tokens: [Token] = []
    /// Every comment, in order.
    public private(set) var comments: [Comment] = []

    /// Scans the whole file; throws the first lexical error.
    public static func scan(_ bytes: [UInt8]) throws -> GoScanner {
        try validate(bytes)
        var scanner = GoScanner(bytes: bytes)
        scanner.tokens.reserveCapacity(bytes.count / 4)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { scanner.offset = 3 }
        try scanner.run()
        return scanner
    }

    private mutating func emit(_ kind: TokenKind, _ start: Int, _ end: Int) {
        tokens.append(Token(kind: kind, start: Int32(start), end: Int32(end)))
    }

    private func fail(_ message: String, at offset: Int) -> GoSyntaxError {
        GoSyntaxError(offset: offset, message: message)
    }

    private mutating func run() throws {
        let n = bytes.count
        while true {
            // Skip blanks; a newline ends the line.
            while offset < n {
                let c = bytes[offset]
                if c == 0x20 || c == 0x09 || c == 0x0D { offset += 1; continue }
                if c == 0x0A {
                    if insertSemi { emit(.semicolon, offset, offset); insertSemi = false }
                    offset += 1
                    continue
                }
                break
            }
            if offset >= n {
                if insertSemi { emit(.semicolon, n, n) }
                emit(.eof, n, n)
                return
            }
            let start = offset
            let c = bytes[offset]
            if c == UInt8(ascii: "/") && offset + 1 < n && (bytes[offset + 1] == UInt8(ascii: "/") || bytes[offset + 1] == UInt8(ascii: "*")) {
                let lineComment = bytes[offset + 1] == UInt8(ascii: "/")
                var spansLines = false
                if lineComment {
                    while offset < n && bytes[offset] != 0x0A { offset += 1 }
                    spansLines = true
                } else {
                    offset += 2
                    var closed = false
                    while offset + 1 < n {
                        if bytes[offset] == UInt8(ascii: "*") && bytes[offset + 1] == UInt8(ascii: "/") { closed = true; break }
                        if bytes[offset] == 0x0A { spansLines = true }
                        offset += 1
                    }
                    if !closed { throw fail("comment not terminated", at: start) }
                    offset += 2
                }
                comments.append(Comment(start: Int32(start), end: Int32(offset)))
                if insertSemi && (spansLines || offset >= n) {
                    // The comment acts as a newline.
                    emit(.semicolon, start, start)
                    insertSemi = false
                }
                continue
            }
            if isLetter(c) {
                while offset < n && (isLetter(bytes[offset]) || isDigit(bytes[offset])) { offset += 1 }
                if sawNonASCII(start, offset) { try checkIdentifier(start, offset) }
                var kind = TokenKind.ident
                if offset - start >= 2 && offset - start <= 11 && bytes[start] >= 0x61 && bytes[start] <= 0x7A {
                    if let keyword = TokenKind.keywords[String(decoding: bytes[start..<offset], as: UTF8.self)] { kind = keyword }
                }
                emit(kind, start, offset)
                insertSemi = kind == .ident || kind == .kwBreak || kind == .kwContinue || kind == .kwFallthrough || kind == .kwReturn
                continue
            }
            if isDigit(c) || (c == UInt8(ascii: ".") && offset + 1 < n && isDigit(bytes[offset + 1])) {
                let kind = try scanNumber()
                emit(kind, start, offset)
                insertSemi = true
                continue
            }
            switch c {
            case UInt8(ascii: "\""):
                try scanString()
                emit(.string, start, offset); insertSemi = true
            case UInt8(ascii: "`"):
                offset += 1
                while offset < n && bytes[offset] != UInt8(ascii: "`") { offset += 1 }
                if offset >= n { throw fail("raw string literal not terminated", at: start) }
                offset += 1
                emit(.string, start, offset); insertSemi = true
            case UInt8(ascii: "'"):
                try scanRune()
                emit(.char, start, offset); insertSemi = true
            default:
                let kind = try scanOperator()
                emit(kind, start, offset)
                insertSemi = kind == .rparen || kind == .rbrack || kind == .rbrace || kind == .inc || kind == .dec
            }
        }
    }

    private func sawNonASCII(_ start: Int, _ end: Int) -> Bool {
        var i = start
        while i < end { if bytes[i] >= 0x80 { return true }; i += 1 }
        return false
    }

    /// Non-ASCII identifiers: letters (category L) and, after the first, decimal digits (Nd).
    private func checkIdentifier(_ start: Int, _ end: Int) throws {
        var first = true
        var offset = start
        for scalar in String(decoding: bytes[start..<end], as: UTF8.self).unicodeScalars {
            let width = UTF8.width(scalar)
            defer { offset += width; first = false }
            if scalar.isASCII { continue }
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: continue
            case .decimalNumber where !first: continue
            default:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                throw fail("invalid character U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex) in identifier", at: offset)
            }
        }
    }

    /// go/scanner's whole-file checks: no NUL, valid UTF-8, no byte order mark after the start.
    static func validate(_ bytes: [UInt8]) throws {
        var needsDecoding = false
        for (index, byte) in bytes.enumerated() {
            if byte == 0 { throw GoSyntaxError(offset: index, message: "illegal character NUL") }
            if byte >= 0x80 { needsDecoding = true }
        }
        guard needsDecoding else { return }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\u{FEFF}" && offset != 0 { throw GoSyntaxError(offset: offset, message: "illegal byte order mark") }
                offset += UTF8.width(scalar)
            case .emptyInput: return
            case .error: throw GoSyntaxError(offset: offset, message: "illegal UTF-8 encoding")
            }
        }
    }

    @inline(__always) private func isLetter(_ c: UInt8) -> Bool { Self.isLetterByte(c) }
    @inline(__always) private func isDigit(_ c: UInt8) -> Bool { Self.isDigitByte(c) }
    @inline(__always) private static func isLetterByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F || c >= 0x80
    }
    @inline(__always) private static func isDigitByte(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// Whether `c` may stand inside an identifier as this scanner reads them: a letter, `_`, a
    /// digit, or any non-ASCII byte. For byte-level searches that must see words as Go does.
    @inline(__always) public static func isIdentifierByte(_ c: UInt8) -> Bool { isLetterByte(c) || isDigitByte(c) }
    @inline(__always) private func isHex(_ c: UInt8) -> Bool {
        isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)
    }
    private func at(_ i: Int) -> UInt8 { i < bytes.count ? bytes[i] : 0 }

    /// Digits of a base (with `_` separators); returns how many digits were read and whether a
    /// digit was invalid for the base (reported like go/scanner).
    private mutating func digits(base: Int, underscoreOK: inout Bool) -> (count: Int, invalid: Int?) {
        var count = 0
        var invalid: Int?
        var previousUnderscore = false
        while offset < bytes.count {
            let c = bytes[offset]
            if c == 0x5F {
                if previousUnderscore { underscoreOK = false }
                previousUnderscore = true
                offset += 1
                continue
            }
            let value: Int
            if isDigit(c) { value = Int(c - 0x30) }
            else if base == 16 && isHex(c) { value = 10 }
            else { break }
            if value >= base && invalid == nil { invalid = offset }
            previousUnderscore = false
            count += 1
            offset += 1
        }
        if previousUnderscore { underscoreOK = false }
        return (count, invalid)
    }

    private mutating func scanNumber() throws -> TokenKind {
        let start = offset
        var kind = TokenKind.int
        var base = 10
        var prefix: UInt8 = 0
        var underscoreOK = true
        var invalidDigit: Int?
        var mantissaDigits = 0
        if bytes[offset] != UInt8(ascii: ".") {
            if bytes[offset] == UInt8(ascii: "0") {
                offset += 1
                switch at(offset) | 0x20 {
                case UInt8(ascii: "x"): offset += 1; base = 16; prefix = UInt8(ascii: "x")
                case UInt8(ascii: "o"): offset += 1; base = 8; prefix = UInt8(ascii: "o")
                case UInt8(ascii: "b"): offset += 1; base = 2; prefix = UInt8(ascii: "b")
                default: base = 8; prefix = UInt8(ascii: "0"); underscoreOK = true
                }
                if prefix != UInt8(ascii: "0") {
                    // `0x_1` is fine: the prefix counts as a digit for separators.
                }
            }
            let (count, invalid) = digits(base: base == 8 && prefix == UInt8(ascii: "0") ? 10 : base, underscoreOK: &underscoreOK)
            mantissaDigits = count
            if prefix == UInt8(ascii: "0"), let invalid0 = invalidOctal(from: start) { invalidDigit = invalid0 } else { invalidDigit = invalid }
        }
        if at(offset) == UInt8(ascii: ".") {
            kind = .float
            if prefix == UInt8(ascii: "o") || prefix == UInt8(ascii: "b") { throw fail("invalid radix point in literal", at: offset) }
            offset += 1
            mantissaDigits += digits(base: base == 16 ? 16 : 10, underscoreOK: &underscoreOK).count
        }
        if mantissaDigits == 0 && prefix != 0 && prefix != UInt8(ascii: "0") {
            throw fail("\(prefix == UInt8(ascii: "x") ? "hexadecimal" : prefix == UInt8(ascii: "o") ? "octal" : "binary") literal has no digits", at: start)
        }
        let e = at(offset) | 0x20
        if e == UInt8(ascii: "e") || e == UInt8(ascii: "p") {
            if e == UInt8(ascii: "e") && prefix != 0 && prefix != UInt8(ascii: "0") {
                // `0x1e3` is an int with digit e; handled by digits() already, so we never get here for hex.
                throw fail("'e' exponent requires decimal mantissa", at: offset)
            }
            if e == UInt8(ascii: "p") && prefix != UInt8(ascii: "x") { throw fail("'p' exponent requires hexadecimal mantissa", at: offset) }
            offset += 1
            kind = .float
            if at(offset) == UInt8(ascii: "+") || at(offset) == UInt8(ascii: "-") { offset += 1 }
            let (count, _) = digits(base: 10, underscoreOK: &underscoreOK)
            if count == 0 { throw fail("exponent has no digits", at: offset) }
        } else if prefix == UInt8(ascii: "x") && kind == .float {
            throw fail("hexadecimal mantissa requires a 'p' exponent", at: start)
        }
        if at(offset) == UInt8(ascii: "i") { offset += 1; kind = .imag }
        else if kind == .int, let invalidDigit {
            throw fail("invalid digit in literal", at: invalidDigit)
        }
        if !underscoreOK { throw fail("'_' must separate successive digits", at: start) }
        return kind
    }

    /// For a legacy octal literal (`0777`), the first 8 or 9 digit, if any.
    private func invalidOctal(from start: Int) -> Int? {
        var i = start
        while i < offset {
            if bytes[i] == UInt8(ascii: "8") || bytes[i] == UInt8(ascii: "9") { return i }
            i += 1
        }
        return nil
    }

    private mutating func scanEscape(quote: UInt8) throws {
        let start = offset
        offset += 1 // backslash
        let c = at(offset)
        switch c {
        case UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"),
             UInt8(ascii: "t"), UInt8(ascii: "v"), UInt8(ascii: "\\"), quote:
            offset += 1
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            for _ in 0..<3 {
                guard at(offset) >= 0x30 && at(offset) <= 0x37 else { throw fail("illegal character in escape sequence", at: offset) }
                offset += 1
            }
        case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
            offset += 1
            let count = c == UInt8(ascii: "x") ? 2 : c == UInt8(ascii: "u") ? 4 : 8
            var value: UInt32 = 0
            for _ in 0..<count {
                let d = at(offset)
                guard isHex(d) else { throw fail("illegal character in escape sequence", at: offset) }
                value = value &* 16 &+ UInt32(isDigit(d) ? d - 0x30 : (d | 0x20) - 0x61 + 10)
                offset += 1
            }
            if c != UInt8(ascii: "x") && (value > 0x10FFFF || (value >= 0xD800 && value < 0xE000)) {
                throw fail("escape is invalid Unicode code point", at: start)
            }
        default:
            throw fail(c == 0x0A || offset >= bytes.count ? "escape sequence not terminated" : "unknown escape sequence", at: start)
        }
    }

    private mutating func scanString() throws {
        let start = offset
        offset += 1
        while true {
            let c = at(offset)
            if c == 0x0A || offset >= bytes.count { throw fail("string literal not terminated", at: start) }
            if c == UInt8(ascii: "\"") { offset += 1; return }
            if c == UInt8(ascii: "\\") { try scanEscape(quote: UInt8(ascii: "\"")) } else { offset += 1 }
        }
    }

    private mutating func scanRune() throws {
        let start = offset
        offset += 1
        var count = 0
        while true {
            let c = at(offset)
            if c == 0x0A || offset >= bytes.count { throw fail("rune literal not terminated", at: start) }
            if c == UInt8(ascii: "'") { offset += 1; break }
            count += 1
            if c == UInt8(ascii: "\\") { try scanEscape(quote: UInt8(ascii: "'")) }
            else {
                // One UTF-8 sequence.
                offset += 1
                while offset < bytes.count && bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            }
        }
        if count != 1 { throw fail("illegal rune literal", at: start) }
    }

    private mutating func scanOperator() throws -> TokenKind {
        let c = bytes[offset]
        let d = at(offset + 1)
        let e = at(offset + 2)
        func take(_ length: Int, _ kind: TokenKind) -> TokenKind { offset += length; return kind }
        switch c {
        case UInt8(ascii: "("): return take(1, .lparen)
        case UInt8(ascii: ")"): return take(1, .rparen)
        case UInt8(ascii: "["): return take(1, .lbrack)
        case UInt8(ascii: "]"): return take(1, .rbrack)
        case UInt8(ascii: "{"): return take(1, .lbrace)
        case UInt8(ascii: "}"): return take(1, .rbrace)
        case UInt8(ascii: ","): return take(1, .comma)
        case UInt8(ascii: ";"): return take(1, .semicolon)
        case UInt8(ascii: "~"): return take(1, .tilde)
        case UInt8(ascii: "."):
            if d == UInt8(ascii: ".") && e == UInt8(ascii: ".") { return take(3, .ellipsis) }
            return take(1, .period)
        case UInt8(ascii: ":"): return d == UInt8(ascii: "=") ? take(2, .define) : take(1, .colon)
        case UInt8(ascii: "+"):
            if d == UInt8(ascii: "+") { return take(2, .inc) }
            return d == UInt8(ascii: "=") ? take(2, .addAssign) : take(1, .add)
        case UInt8(ascii: "-"):
            if d == UInt8(ascii: "-") { return take(2, .dec) }
            return d == UInt8(ascii: "=") ? take(2, .subAssign) : take(1, .sub)
        case UInt8(ascii: "*"): return d == UInt8(ascii: "=") ? take(2, .mulAssign) : take(1, .mul)
        case UInt8(ascii: "/"): return d == UInt8(ascii: "=") ? take(2, .quoAssign) : take(1, .quo)
        case UInt8(ascii: "%"): return d == UInt8(ascii: "=") ? take(2, .remAssign) : take(1, .rem)
        case UInt8(ascii: "^"): return d == UInt8(ascii: "=") ? take(2, .xorAssign) : take(1, .xor)
        case UInt8(ascii: "<"):
            if d == UInt8(ascii: "-") { return take(2, .arrow) }
            if d == UInt8(ascii: "<") { return e == UInt8(ascii: "=") ? take(3, .shlAssign) : take(2, .shl) }
            return d == UInt8(ascii: "=") ? take(2, .leq) : take(1, .lss)
        case UInt8(ascii: ">"):
            if d == UInt8(ascii: ">") { return e == UInt8(ascii: "=") ? take(3, .shrAssign) : take(2, .shr) }
            return d == UInt8(ascii: "=") ? take(2, .geq) : take(1, .gtr)
        case UInt8(ascii: "="): return d == UInt8(ascii: "=") ? take(2, .eql) : take(1, .assign)
        case UInt8(ascii: "!"): return d == UInt8(ascii: "=") ? take(2, .neq) : take(1, .not)
        case UInt8(ascii: "&"):
            if d == UInt8(ascii: "^") { return e == UInt8(ascii: "=") ? take(3, .andNotAssign) : take(2, .andNot) }
            if d == UInt8(ascii: "&") { return take(2, .land) }
            return d == UInt8(ascii: "=") ? take(2, .andAssign) : take(1, .and)
        case UInt8(ascii: "|"):
            if d == UInt8(ascii: "|") { return take(2, .lor) }
            return d == UInt8(ascii: "=") ? take(2, .orAssign) : take(1, .or)
        default:
            throw fail("invalid character \(c < 0x20 || c == 0x7F ? "U+\(String(c, radix: 16, uppercase: true))" : "'\(Character(Unicode.Scalar(c)))'")", at: offset)
        }
    }
}
