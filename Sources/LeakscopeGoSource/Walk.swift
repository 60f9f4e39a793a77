/// Pre-order traversal of syntax trees. The visitor returns false to skip a node's children.
public enum Walk {
    /// Visits `expr` and its sub-expressions; statements inside function literals are visited
    /// through `statement` when given (`intoFuncLits`).
    public static func expr(_ e: Expr, intoFuncLits: Bool = true, _ visit: (Expr) -> Bool) {
        guard visit(e) else { return }
        func go(_ x: Expr?) { if let x { expr(x, intoFuncLits: intoFuncLits, visit) } }
        switch e {
        case .ident, .basicLit: break
        case .compositeLit(let type, let elements, _, _):
            go(type)
            for element in elements { go(element) }
        case .funcLit(_, let body):
            if intoFuncLits { for s in body.statements { stmt(s, intoFuncLits: true, expr: visit) } }
        case .paren(let x, _), .star(let x, _), .unary(_, let x, _): go(x)
        case .selector(let x, _): go(x)
        case .index(let x, let indices, _):
            go(x)
            for index in indices { go(index) }
        case .slice(let x, let low, let high, let max, _):
            go(x); go(low); go(high); go(max)
        case .typeAssert(let x, let type, _): go(x); go(type)
        case .call(let call):
            go(call.fun)
            for argument in call.args { go(argument) }
        case .binary(_, let x, let y, _), .keyValue(let x, let y, _): go(x); go(y)
        case .arrayType(let length, let element, _): go(length); go(element)
        case .ellipsis(let x, _): go(x)
        case .structType, .funcType, .interfaceType: break
        case .mapType(let key, let value, _): go(key); go(value)
        case .chanType(_, let element, _): go(element)
        }
    }

    /// Visits every expression in `s` (and nested statements).
    public static func stmt(_ s: Stmt, intoFuncLits: Bool = true, expr visit: (Expr) -> Bool) {
        statements(s, intoFuncLits: intoFuncLits, { _ in true }, visit)
    }

    /// Visits statements (pre-order) and, when `visitExpr` returns true for them, expressions.
    public static func statements(_ s: Stmt, intoFuncLits: Bool = true, _ visitStmt: (Stmt) -> Bool, _ visitExpr: (Expr) -> Bool) {
        guard visitStmt(s) else { return }
        func e(_ x: Expr?) {
            guard let x else { return }
            expr(x, intoFuncLits: false) { inner in
                if case .funcLit(_, let body) = inner {
                    guard visitExpr(inner) else { return false }
                    if intoFuncLits {
                        for t in body.statements { statements(t, intoFuncLits: true, visitStmt, visitExpr) }
                    }
                    return false
                }
                return visitExpr(inner)
            }
        }
        func st(_ t: Stmt?) { if let t { statements(t, intoFuncLits: intoFuncLits, visitStmt, visitExpr) } }
        func list(_ l: [Stmt]) { for t in l { st(t) } }
        switch s {
        case .decl(let decl):
            for spec in decl.specs {
                if case .value(_, let type, let values) = spec {
                    e(type)
                    for v in values { e(v) }
                }
            }
        case .labeled(_, let inner): st(inner)
        case .expr(let x): e(x)
        case .send(let channel, let value, _): e(channel); e(value)
        case .incDec(let x, _): e(x)
        case .assign(let lhs, _, let rhs, _):
            for x in lhs { e(x) }
            for x in rhs { e(x) }
        case .go(let call, _), .deferCall(let call, _): e(.call(call))
        case .returnStmt(let results, _): for x in results { e(x) }
        case .branch, .empty: break
        case .block(let block): list(block.statements)
        case .ifStmt(let s):
            st(s.initial); e(s.condition); list(s.body.statements); st(s.elseBranch)
        case .switchStmt(let initial, let tag, let clauses, _):
            st(initial); e(tag)
            for clause in clauses {
                for v in clause.values { e(v) }
                list(clause.body)
            }
        case .typeSwitch(let initial, let assign, let clauses, _):
            st(initial); st(assign)
            for clause in clauses { list(clause.body) }
        case .select(let clauses, _):
            for clause in clauses {
                st(clause.comm)
                list(clause.body)
            }
        case .forStmt(let initial, let condition, let post, let body, _):
            st(initial); e(condition); st(post); list(body.statements)
        case .rangeStmt(let key, let value, _, let collection, let body, _):
            e(key); e(value); e(collection); list(body.statements)
        }
    }

    /// Whether any expression under `s` (function literals included) satisfies `test`.
    public static func contains(_ s: Stmt, intoFuncLits: Bool = true, where test: (Expr) -> Bool) -> Bool {
        var found = false
        stmt(s, intoFuncLits: intoFuncLits) { x in
            if found { return false }
            if test(x) { found = true; return false }
            return true
        }
        return found
    }

    /// Whether an expression tree contains a node satisfying `test`.
    public static func contains(_ x: Expr, intoFuncLits: Bool = true, where test: (Expr) -> Bool) -> Bool {
        var found = false
        expr(x, intoFuncLits: intoFuncLits) { inner in
            if found { return false }
            if test(inner) { found = true; return false }
            return true
        }
        return found
    }
}

extension Stmt {
    /// Where the statement starts.
    public var pos: Int32 {
        switch self {
        case .decl(let d): return d.pos
        case .labeled(let id, _): return id.pos
        case .expr(let x): return x.pos
        case .send(let channel, _, _): return channel.pos
        case .incDec(let x, _): return x.pos
        case .assign(let lhs, _, _, _): return lhs.first?.pos ?? 0
        case .go(_, let p), .deferCall(_, let p), .returnStmt(_, let p), .branch(_, _, let p), .switchStmt(_, _, _, let p),
             .typeSwitch(_, _, _, let p), .select(_, let p), .forStmt(_, _, _, _, let p), .rangeStmt(_, _, _, _, _, let p),
             .empty(let p):
            return p
        case .block(let b): return b.lbrace
        case .ifStmt(let s): return s.pos
        }
    }
}
