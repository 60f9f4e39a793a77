/// The Go syntax tree. Positions are byte offsets into the file (`SourceFile.position(of:)` turns
/// them into line and column). Types are expressions, as in go/ast.
public indirect enum Expr: Sendable {
    case ident(Ident)
    /// A literal: kind and source text.
    case basicLit(kind: TokenKind, text: String, pos: Int32)
    /// `Type{elements}`; `type` is nil inside an outer composite literal; `pos` is where it starts.
    case compositeLit(type: Expr?, elements: [Expr], pos: Int32, rbrace: Int32)
    case funcLit(type: FuncType, body: Block)
    case paren(Expr, pos: Int32)
    case selector(Expr, Ident)
    /// `x[i]`, `x[T1, T2]` (instantiation).
    case index(Expr, [Expr], pos: Int32)
    case slice(Expr, low: Expr?, high: Expr?, max: Expr?, pos: Int32)
    /// `x.(T)`; `type` nil for `x.(type)`.
    case typeAssert(Expr, type: Expr?, pos: Int32)
    case call(Call)
    case star(Expr, pos: Int32)
    case unary(op: TokenKind, Expr, pos: Int32)
    case binary(op: TokenKind, Expr, Expr, pos: Int32)
    case keyValue(Expr, Expr, pos: Int32)
    case arrayType(length: Expr?, element: Expr, pos: Int32)
    case ellipsis(Expr?, pos: Int32)
    case structType(fields: [Field], pos: Int32)
    case funcType(FuncType)
    case interfaceType(elements: [Field], pos: Int32)
    case mapType(key: Expr, value: Expr, pos: Int32)
    case chanType(direction: ChanDirection, element: Expr, pos: Int32)

    /// Where the expression starts. Iterative: a chain of calls and selectors is as deep as it is long.
    public var pos: Int32 {
        var e = self
        while true {
            switch e {
            case .ident(let id): return id.pos
            case .basicLit(_, _, let pos), .compositeLit(_, _, let pos, _), .paren(_, let pos), .star(_, let pos),
                 .unary(_, _, let pos), .arrayType(_, _, let pos), .ellipsis(_, let pos), .structType(_, let pos),
                 .interfaceType(_, let pos), .mapType(_, _, let pos), .chanType(_, _, let pos):
                return pos
            case .funcLit(let type, _): return type.pos
            case .selector(let x, _), .index(let x, _, _), .slice(let x, _, _, _, _), .typeAssert(let x, _, _),
                 .binary(_, let x, _, _), .keyValue(let x, _, _):
                e = x
            case .call(let call): e = call.fun
            case .funcType(let type): return type.pos
            }
        }
    }

    /// The expression without enclosing parentheses.
    public var unparenthesized: Expr {
        var e = self
        while case .paren(let inner, _) = e { e = inner }
        return e
    }

    /// The identifier's name, if this is a plain identifier.
    public var identName: String? {
        if case .ident(let id) = self { return id.name }
        return nil
    }
}

/// An identifier and where it is.
public struct Ident: Sendable, Hashable {
    public var name: String
    public var pos: Int32
}

/// A call `fun(args)`.
public struct Call: Sendable {
    public var fun: Expr
    public var args: [Expr]
    /// `f(xs...)`.
    public var hasEllipsis: Bool
    /// Offset of `(`.
    public var lparen: Int32
}

/// Channel direction.
public enum ChanDirection: Sendable { case both, send, receive }

/// A field of a struct, a parameter, a result, or an interface element (method or embedded type).
public struct Field: Sendable {
    /// Empty for embedded fields and unnamed parameters.
    public var names: [Ident]
    /// The type (or the method's `funcType`, or a type-set expression).
    public var type: Expr
    /// `...T` parameter.
    public var isVariadic: Bool
}

/// `func[TypeParams](Params) Results`.
public struct FuncType: Sendable {
    public var typeParams: [Field]
    public var params: [Field]
    public var results: [Field]
    public var pos: Int32
}

/// `{ statements }`.
public struct Block: Sendable {
    public var statements: [Stmt]
    public var lbrace: Int32
    public var rbrace: Int32
}

/// A Go statement.
public indirect enum Stmt: Sendable {
    case decl(GenDecl)
    case labeled(Ident, Stmt)
    case expr(Expr)
    case send(channel: Expr, value: Expr, pos: Int32)
    case incDec(Expr, TokenKind)
    /// `=`, `:=` or `op=`.
    case assign(lhs: [Expr], op: TokenKind, rhs: [Expr], pos: Int32)
    case go(Call, pos: Int32)
    case deferCall(Call, pos: Int32)
    case returnStmt([Expr], pos: Int32)
    /// `break`, `continue`, `goto`, `fallthrough`.
    case branch(TokenKind, label: Ident?, pos: Int32)
    case block(Block)
    case ifStmt(IfStmt)
    /// Expression switch; `tag` nil for `switch {`.
    case switchStmt(initial: Stmt?, tag: Expr?, clauses: [CaseClause], pos: Int32)
    /// Type switch; `assign` is `x := y.(type)` or `y.(type)`.
    case typeSwitch(initial: Stmt?, assign: Stmt, clauses: [CaseClause], pos: Int32)
    case select([CommClause], pos: Int32)
    case forStmt(initial: Stmt?, condition: Expr?, post: Stmt?, body: Block, pos: Int32)
    /// `for k, v := range x`; `op` is `.define`, `.assign`, or `.eof` without variables.
    case rangeStmt(key: Expr?, value: Expr?, op: TokenKind, collection: Expr, body: Block, pos: Int32)
    case empty(pos: Int32)
}

/// `if init; cond {…} else …`.
public struct IfStmt: Sendable {
    public var initial: Stmt?
    public var condition: Expr
    public var body: Block
    /// An `.ifStmt` or a `.block`.
    public var elseBranch: Stmt?
    public var pos: Int32
}

/// `case x, y:` or `default:` in a switch.
public struct CaseClause: Sendable {
    /// Empty for `default`.
    public var values: [Expr]
    public var isDefault: Bool
    public var body: [Stmt]
    public var pos: Int32
}

/// `case comm:` or `default:` in a select.
public struct CommClause: Sendable {
    /// A send, a receive (expression or assignment) or nil for `default`.
    public var comm: Stmt?
    public var body: [Stmt]
    public var pos: Int32
}

/// `import`, `const`, `type` or `var` declaration.
public struct GenDecl: Sendable {
    public var keyword: TokenKind
    public var specs: [Spec]
    public var pos: Int32
}

/// One spec of a `GenDecl`.
public enum Spec: Sendable {
    case importSpec(name: Ident?, path: String, pos: Int32)
    /// `const` and `var` specs.
    case value(names: [Ident], type: Expr?, values: [Expr])
    case type(name: Ident, typeParams: [Field], isAlias: Bool, type: Expr)
}

/// A function or method declaration.
public struct FuncDecl: Sendable {
    public var receiver: Field?
    public var name: Ident
    public var type: FuncType
    /// Nil for functions implemented elsewhere (assembly).
    public var body: Block?
    public var pos: Int32
}

/// A top-level declaration.
public enum Decl: Sendable {
    case gen(GenDecl)
    case function(FuncDecl)
}

/// A parsed Go file.
public struct FileSyntax: Sendable {
    public var packageName: Ident
    public var imports: [(name: String?, path: String)]
    public var decls: [Decl]
}
