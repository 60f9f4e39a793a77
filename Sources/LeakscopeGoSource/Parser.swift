/// A recursive-descent parser for the full Go grammar (Go 1.27, generics included), following
/// go/parser's decisions on the grammar's ambiguities so that it accepts and rejects the same
/// files. It stops at the first syntax error. Tokens are scanned up front, so the two places where
/// Go needs more than one token of look-ahead (a type declaration's `[`, a parameter's `name [`)
/// are decided by parsing ahead and backing up.
public struct GoParser {
    let bytes: [UInt8]
    let tokens: [Token]
    var i = 0
    /// < 0 in a control clause header (where `{` starts the body, not a composite literal),
    /// ≥ 0 elsewhere; raised inside parentheses and brackets.
    var exprLev = 0
    /// How many nested constructs enclose the current token: each unary operand, each postfix
    /// operator of a chain (selector, index, call, literal), each composite literal, type,
    /// statement, block and `if`, as go/parser counts them.
    var nesting = 0
    /// How many binary operators the expressions being parsed chain (each deepens the tree by one).
    var operatorChain = 0

    /// The deepest nesting a file may have. go/parser stops at 100,000 on Go's growable stacks.
    /// Our stacks are fixed (`DeepStack`), and the checks' cost grows faster than the depth of a
    /// chain of calls (45 s for 50,000 `.M()`), so a hostile file is refused far earlier. Real code
    /// sits far below: the deepest file of `$GOROOT/src` nests 53, and of 536 projects of the
    /// lint evaluation 2,459 (a generated 2,460-line string concatenation, which is an operator chain).
    public static let maxNesting = 10_000
    /// The longest chain of binary operators a file may have: go/parser's limit, since generated
    /// code concatenates thousands of strings and such chains cost little (0.1 s for 100,000).
    public static let maxOperatorChain = 100_000

    init(bytes: [UInt8], tokens: [Token]) {
        self.bytes = bytes
        self.tokens = tokens
    }

    /// Parses one file.
    public static func parse(_ bytes: [UInt8], tokens: [Token]) throws -> FileSyntax {
        var parser = GoParser(bytes: bytes, tokens: tokens)
        return try parser.parseFile()
    }

    // MARK: tokens

    @inline(__always) var tok: TokenKind { tokens[i].kind }
    @inline(__always) var pos: Int32 { tokens[i].start }
    @inline(__always) mutating func next() { if i < tokens.count - 1 { i += 1 } }
    func peek(_ n: Int = 1) -> TokenKind { i + n < tokens.count ? tokens[i + n].kind : .eof }

    func text(_ token: Token) -> String { String(decoding: bytes[Int(token.start)..<Int(token.end)], as: UTF8.self) }

    func describeCurrent() -> String {
        let t = tokens[i]
        switch t.kind {
        case .semicolon: return t.start == t.end ? "newline" : "';'"
        case .ident: return text(t)
        case .int, .float, .imag, .char, .string: return "literal \(text(t))"
        case .eof: return "EOF"
        default: return "'\(t.kind.spelling)'"
        }
    }

    func error(_ message: String, at offset: Int32? = nil) -> GoSyntaxError {
        GoSyntaxError(offset: Int(offset ?? pos), message: message)
    }

    /// Enters one more nested construct; throws past `maxNesting`. Callers pair it with `leaveNesting`
    /// on their normal exits; a throw abandons the whole parse, so unbalanced counts then do not matter.
    @inline(__always) mutating func enterNesting() throws {
        nesting += 1
        if nesting > Self.maxNesting { throw error("exceeded max nesting depth (\(Self.maxNesting))") }
    }

    @inline(__always) mutating func leaveNesting(_ levels: Int = 1) { nesting -= levels }

    /// `enterNesting` for one more binary operator of a chain, against `maxOperatorChain`.
    @inline(__always) mutating func enterOperatorChain() throws {
        operatorChain += 1
        if operatorChain > Self.maxOperatorChain {
            throw error("exceeded max nesting depth (\(Self.maxOperatorChain) binary operators)")
        }
    }

    func expected(_ what: String) -> GoSyntaxError { error("expected \(what), found \(describeCurrent())") }

    @discardableResult
    mutating func expect(_ kind: TokenKind) throws -> Int32 {
        let p = pos
        guard tok == kind else { throw expected("'\(kind.spelling)'") }
        next()
        return p
    }

    /// `;` is optional before `)` and `}`.
    mutating func expectSemi() throws {
        switch tok {
        case .rparen, .rbrace: return
        case .semicolon: next()
        default: throw expected("';'")
        }
    }

    /// A closing token of a list; a newline before it means a missing comma.
    mutating func expectClosing(_ kind: TokenKind, _ context: String) throws -> Int32 {
        if tok != kind && tok == .semicolon && tokens[i].start == tokens[i].end {
            throw error("missing ',' before newline in \(context)")
        }
        return try expect(kind)
    }

    mutating func parseIdent() throws -> Ident {
        guard tok == .ident else { throw expected("identifier") }
        let id = Ident(name: text(tokens[i]), pos: pos)
        next()
        return id
    }

    mutating func parseIdentList() throws -> [Ident] {
        var list = [try parseIdent()]
        while tok == .comma {
            next()
            list.append(try parseIdent())
        }
        return list
    }

    // MARK: file and declarations

    mutating func parseFile() throws -> FileSyntax {
        guard tok == .kwPackage else { throw expected("'package'") }
        next()
        let name = try parseIdent()
        try expectSemi()
        var imports: [(name: String?, path: String)] = []
        var decls: [Decl] = []
        var previous = TokenKind.kwImport
        while tok != .eof {
            if tok == .kwImport && previous != .kwImport { throw error("imports must appear before other declarations") }
            previous = tok
            switch tok {
            case .kwImport, .kwConst, .kwType, .kwVar:
                let decl = try parseGenDecl()
                if decl.keyword == .kwImport {
                    for case .importSpec(let name, let path, _) in decl.specs { imports.append((name?.name, path)) }
                }
                decls.append(.gen(decl))
            case .kwFunc:
                decls.append(.function(try parseFuncDecl()))
            default:
                throw expected("declaration")
            }
        }
        return FileSyntax(packageName: name, imports: imports, decls: decls)
    }

    mutating func parseGenDecl() throws -> GenDecl {
        let keyword = tok
        let start = pos
        next()
        var specs: [Spec] = []
        if tok == .lparen {
            next()
            while tok != .rparen && tok != .eof {
                specs.append(try parseSpec(keyword))
                try expectSemi()
            }
            try expect(.rparen)
            try expectSemi()
        } else {
            specs.append(try parseSpec(keyword))
            try expectSemi()
        }
        return GenDecl(keyword: keyword, specs: specs, pos: start)
    }

    mutating func parseSpec(_ keyword: TokenKind) throws -> Spec {
        switch keyword {
        case .kwImport:
            let start = pos
            var name: Ident?
            if tok == .ident { name = try parseIdent() } else if tok == .period { name = Ident(name: ".", pos: pos); next() }
            guard tok == .string else { throw error("missing import path") }
            var path = text(tokens[i])
            path = String(path.dropFirst().dropLast())
            next()
            return .importSpec(name: name, path: path, pos: start)
        case .kwType:
            return try parseTypeSpec()
        default:
            let names = try parseIdentList()
            var type: Expr?
            var values: [Expr] = []
            if keyword == .kwConst {
                if tok != .eof && tok != .semicolon && tok != .rparen {
                    type = try tryType()
                    if tok == .assign {
                        next()
                        values = try parseExprList()
                    }
                }
            } else {
                if tok != .assign { type = try parseType() }
                if tok == .assign {
                    next()
                    values = try parseExprList()
                }
            }
            return .value(names: names, type: type, values: values)
        }
    }

    mutating func parseTypeSpec() throws -> Spec {
        let name = try parseIdent()
        if tok == .lbrack {
            let bracket = i
            next()
            if tok == .ident {
                // An array length or a type parameter list: parse as an expression and decide the
                // way go/parser does, then back up and parse it properly.
                var x: Expr = .ident(try parseIdent())
                if tok != .lbrack {
                    exprLev += 1
                    let lhs = try parsePrimaryExpr(x)
                    x = try parseBinaryExpr(lhs, 1)
                    exprLev -= 1
                }
                let (isName, hasType) = Self.extractName(x, force: tok == .comma)
                if isName && (hasType || tok != .rbrack) {
                    i = bracket
                    next()
                    let params = try parseParameterList(closing: .rbrack, typeParams: true)
                    if params.isEmpty { throw error("empty type parameter list") }
                    try expect(.rbrack)
                    var isAlias = false
                    if tok == .assign { isAlias = true; next() }
                    return .type(name: name, typeParams: params, isAlias: isAlias, type: try parseType())
                }
            }
            i = bracket
            return .type(name: name, typeParams: [], isAlias: false, type: try parseType())
        }
        var isAlias = false
        if tok == .assign { isAlias = true; next() }
        return .type(name: name, typeParams: [], isAlias: isAlias, type: try parseType())
    }

    /// go/parser's `extractName`: whether `[x` starts a type parameter (a name) and whether the
    /// expression already holds its constraint.
    static func extractName(_ x: Expr, force: Bool) -> (isName: Bool, hasType: Bool) {
        switch x {
        case .ident: return (true, false)
        case .binary(.mul, let lhs, let rhs, _):
            if case .ident = lhs, force || isTypeElem(rhs) { return (true, true) }
        case .binary(.or, let lhs, let rhs, _):
            let (name, type) = extractName(lhs, force: force || isTypeElem(rhs))
            if name && type { return (true, true) }
        case .call(let call):
            if case .ident = call.fun, call.args.count == 1, !call.hasEllipsis, force || isTypeElem(call.args[0]) {
                return (true, true)
            }
        default: break
        }
        return (false, false)
    }

    static func isTypeElem(_ x: Expr) -> Bool {
        switch x {
        case .arrayType, .structType, .funcType, .interfaceType, .mapType, .chanType: return true
        case .binary(_, let a, let b, _): return isTypeElem(a) || isTypeElem(b)
        case .unary(.tilde, _, _): return true
        case .paren(let inner, _): return isTypeElem(inner)
        default: return false
        }
    }

    mutating func parseFuncDecl() throws -> FuncDecl {
        let start = try expect(.kwFunc)
        var receiver: Field?
        if tok == .lparen {
            next()
            let list = try parseParameterList(closing: .rparen, typeParams: false)
            try expect(.rparen)
            receiver = list.first
        }
        let name = try parseIdent()
        var typeParams: [Field] = []
        if tok == .lbrack {
            let at = pos
            next()
            typeParams = try parseParameterList(closing: .rbrack, typeParams: true)
            if typeParams.isEmpty { throw error("empty type parameter list", at: at) }
            try expect(.rbrack)
        }
        let (params, results) = try parseSignature()
        var body: Block?
        if tok == .lbrace {
            let saved = exprLev
            exprLev = 0
            body = try parseBlock()
            exprLev = saved
        }
        try expectSemi()
        return FuncDecl(receiver: receiver, name: name,
                        type: FuncType(typeParams: typeParams, params: params, results: results, pos: start),
                        body: body, pos: start)
    }

    mutating func parseSignature() throws -> (params: [Field], results: [Field]) {
        try expect(.lparen)
        let params = try parseParameterList(closing: .rparen, typeParams: false)
        try expect(.rparen)
        var results: [Field] = []
        if tok == .lparen {
            next()
            results = try parseParameterList(closing: .rparen, typeParams: false)
            try expect(.rparen)
        } else if let type = try tryType() {
            results = [Field(names: [], type: type, isVariadic: false)]
        }
        return (params, results)
    }

    /// Parameters, results or type parameters up to (not including) `closing`, grouped the way
    /// `a, b int, c string` groups; mixing named and unnamed entries is an error.
    mutating func parseParameterList(closing: TokenKind, typeParams: Bool) throws -> [Field] {
        var entries: [(name: Ident?, type: Expr?, variadic: Bool)] = []
        while tok != closing && tok != .eof {
            if tok == .ident {
                let start = i
                let id = try parseIdent()
                switch tok {
                case .comma, closing:
                    entries.append((nil, .ident(id), false))
                case .period:
                    i = start
                    entries.append((nil, try parseParamType(typeParams), false))
                case .lbrack:
                    let (named, element) = try parseArrayFieldOrTypeInstance(id)
                    var type = element
                    if named {
                        // `[P []byte | string]`: the rest of the union.
                        while typeParams && tok == .or {
                            let p = pos
                            next()
                            type = .binary(op: .or, type, try parseConstraintTerm(), pos: p)
                        }
                        entries.append((id, type, false))
                    } else if tok != .comma && tok != closing {
                        throw expected("')'")
                    } else {
                        entries.append((nil, type, false))
                    }
                case .ellipsis:
                    next()
                    entries.append((id, try parseParamType(typeParams), true))
                default:
                    entries.append((id, try parseParamType(typeParams), false))
                }
            } else if tok == .ellipsis {
                next()
                entries.append((nil, try parseParamType(typeParams), true))
            } else {
                entries.append((nil, try parseParamType(typeParams), false))
            }
            if tok != .comma {
                if tok != closing {
                    if tok == .semicolon && tokens[i].start == tokens[i].end {
                        throw error("missing ',' before newline in parameter list")
                    }
                    throw error("missing ',' in parameter list")
                }
                break
            }
            next()
        }
        let anyNamed = entries.contains { $0.name != nil }
        if !anyNamed {
            if typeParams && !entries.isEmpty { throw error("type parameters must be named") }
            return entries.map { Field(names: [], type: $0.type!, isVariadic: $0.variadic) }
        }
        var fields: [Field] = []
        var pending: [Ident] = []
        for entry in entries {
            if let name = entry.name {
                fields.append(Field(names: pending + [name], type: entry.type!, isVariadic: entry.variadic))
                pending = []
            } else if case .ident(let id)? = entry.type, !entry.variadic {
                pending.append(id)
            } else {
                throw error("missing parameter name", at: entry.type?.pos)
            }
        }
        if !pending.isEmpty { throw error("missing parameter type", at: pending.last!.pos) }
        return fields
    }

    mutating func parseParamType(_ typeParams: Bool) throws -> Expr {
        typeParams ? try parseConstraint() : try parseType()
    }

    /// After `name [`: a field or parameter `name [N]T` / `name []T` (true), or the instantiated
    /// type `name[A, B]` (false).
    mutating func parseArrayFieldOrTypeInstance(_ name: Ident) throws -> (named: Bool, type: Expr) {
        let lbrack = try expect(.lbrack)
        if tok == .rbrack {
            next()
            return (true, .arrayType(length: nil, element: try parseType(), pos: lbrack))
        }
        var args: [Expr] = []
        exprLev += 1
        while tok != .rbrack && tok != .eof {
            if tok == .ellipsis {
                let p = pos
                next()
                args.append(.ellipsis(nil, pos: p))
            } else {
                args.append(try parseTypeOrExpr())
            }
            if tok != .comma { break }
            next()
        }
        exprLev -= 1
        try expect(.rbrack)
        if args.count == 1, let element = try tryType() {
            return (true, .arrayType(length: args[0], element: element, pos: lbrack))
        }
        if args.isEmpty { throw error("expected type argument list", at: lbrack) }
        return (false, .index(.ident(name), args, pos: lbrack))
    }

    /// A type constraint: `~T | U | interface{…}`.
    mutating func parseConstraint() throws -> Expr {
        var x = try parseConstraintTerm()
        while tok == .or {
            let p = pos
            next()
            x = .binary(op: .or, x, try parseConstraintTerm(), pos: p)
        }
        return x
    }

    mutating func parseConstraintTerm() throws -> Expr {
        if tok == .tilde {
            let p = pos
            next()
            return .unary(op: .tilde, try parseType(), pos: p)
        }
        return try parseType()
    }
}
