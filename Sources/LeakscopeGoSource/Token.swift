/// One lexical token of Go source: its kind and where its bytes are in the file.
public struct Token: Sendable, Hashable {
    /// What the token is.
    public var kind: TokenKind
    /// Byte offset of the first byte.
    public var start: Int32
    /// Byte offset just past the last byte (an inserted semicolon is empty).
    public var end: Int32
}

/// The kinds of Go tokens (the spec's keywords, operators and literal classes).
public enum TokenKind: UInt8, Sendable, Hashable {
    case eof, ident, int, float, imag, char, string
    // Operators and punctuation.
    case add, sub, mul, quo, rem, and, or, xor, shl, shr, andNot
    case addAssign, subAssign, mulAssign, quoAssign, remAssign, andAssign, orAssign, xorAssign
    case shlAssign, shrAssign, andNotAssign
    case land, lor, arrow, inc, dec, eql, lss, gtr, assign, not, neq, leq, geq, define, ellipsis
    case lparen, lbrack, lbrace, comma, period, rparen, rbrack, rbrace, semicolon, colon, tilde
    // Keywords.
    case kwBreak, kwCase, kwChan, kwConst, kwContinue, kwDefault, kwDefer, kwElse, kwFallthrough
    case kwFor, kwFunc, kwGo, kwGoto, kwIf, kwImport, kwInterface, kwMap, kwPackage, kwRange
    case kwReturn, kwSelect, kwStruct, kwSwitch, kwType, kwVar

    /// Binary operator precedence (5 highest), 0 for non-binary tokens.
    var precedence: Int {
        switch self {
        case .lor: return 1
        case .land: return 2
        case .eql, .neq, .lss, .leq, .gtr, .geq: return 3
        case .add, .sub, .or, .xor: return 4
        case .mul, .quo, .rem, .shl, .shr, .and, .andNot: return 5
        default: return 0
        }
    }

    /// `+=`, `<<=` and the other compound assignments.
    var isAssignOp: Bool { rawValue >= TokenKind.addAssign.rawValue && rawValue <= TokenKind.andNotAssign.rawValue }

    /// How the token is spelled in messages.
    public var spelling: String {
        switch self {
        case .eof: return "EOF"
        case .ident: return "identifier"
        case .int, .float, .imag, .char, .string: return "literal"
        case .add: return "+"
        case .sub: return "-"
        case .mul: return "*"
        case .quo: return "/"
        case .rem: return "%"
        case .and: return "&"
        case .or: return "|"
        case .xor: return "^"
        case .shl: return "<<"
        case .shr: return ">>"
        case .andNot: return "&^"
        case .addAssign: return "+="
        case .subAssign: return "-="
        case .mulAssign: return "*="
        case .quoAssign: return "/="
        case .remAssign: return "%="
        case .andAssign: return "&="
        case .orAssign: return "|="
        case .xorAssign: return "^="
        case .shlAssign: return "<<="
        case .shrAssign: return ">>="
        case .andNotAssign: return "&^="
        case .land: return "&&"
        case .lor: return "||"
        case .arrow: return "<-"
        case .inc: return "++"
        case .dec: return "--"
        case .eql: return "=="
        case .lss: return "<"
        case .gtr: return ">"
        case .assign: return "="
        case .not: return "!"
        case .neq: return "!="
        case .leq: return "<="
        case .geq: return ">="
        case .define: return ":="
        case .ellipsis: return "..."
        case .lparen: return "("
        case .lbrack: return "["
        case .lbrace: return "{"
        case .comma: return ","
        case .period: return "."
        case .rparen: return ")"
        case .rbrack: return "]"
        case .rbrace: return "}"
        case .semicolon: return ";"
        case .colon: return ":"
        case .tilde: return "~"
        default: return String(String(describing: self).dropFirst(2)).lowercased()
        }
    }

    static let keywords: [String: TokenKind] = [
        "break": .kwBreak, "case": .kwCase, "chan": .kwChan, "const": .kwConst, "continue": .kwContinue,
        "default": .kwDefault, "defer": .kwDefer, "else": .kwElse, "fallthrough": .kwFallthrough, "for": .kwFor,
        "func": .kwFunc, "go": .kwGo, "goto": .kwGoto, "if": .kwIf, "import": .kwImport, "interface": .kwInterface,
        "map": .kwMap, "package": .kwPackage, "range": .kwRange, "return": .kwReturn, "select": .kwSelect,
        "struct": .kwStruct, "switch": .kwSwitch, "type": .kwType, "var": .kwVar,
    ]
}

/// A comment's byte range (`//…` without the newline, or `/*…*/`).
public struct Comment: Sendable, Hashable {
    /// Offset of the first `/`.
    public var start: Int32
    /// Offset just past the comment.
    public var end: Int32
}

/// A syntax error with its place in the file.
public struct GoSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Byte offset where the error was detected.
    public var offset: Int
    /// What was wrong, in go/parser's words where we can.
    public var message: String
    /// `file:line:col` is added by `SourceFile.describe(_:)`; this is offset-only.
    public var description: String { "offset \(offset): \(message)" }
}
