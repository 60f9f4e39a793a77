/// Statements and blocks.
extension GoParser {
    mutating func parseBlock() throws -> Block {
        try enterNesting()
        defer { leaveNesting() }
        let lbrace = try expect(.lbrace)
        let statements = try parseStatementList()
        let rbrace = try expect(.rbrace)
        return Block(statements: statements, lbrace: lbrace, rbrace: rbrace)
    }

    mutating func parseStatementList() throws -> [Stmt] {
        var list: [Stmt] = []
        while tok != .kwCase && tok != .kwDefault && tok != .rbrace && tok != .eof {
            list.append(try parseStatement())
        }
        return list
    }

    mutating func parseStatement() throws -> Stmt {
        try enterNesting()
        defer { leaveNesting() }
        let p = pos
        switch tok {
        case .kwConst, .kwType, .kwVar:
            return .decl(try parseGenDecl())
        case .ident, .int, .float, .imag, .char, .string, .kwFunc, .lparen, .lbrack, .kwStruct, .kwMap, .kwChan,
             .kwInterface, .add, .sub, .mul, .and, .xor, .arrow, .not, .tilde:
            let (s, _) = try parseSimpleStatement(labelOK: true, rangeOK: false)
            if case .labeled = s { return s }
            try expectSemi()
            return s
        case .kwGo, .kwDefer:
            let keyword = tok
            next()
            let call = try parseCallStatement(keyword == .kwGo ? "go" : "defer")
            try expectSemi()
            return keyword == .kwGo ? .go(call, pos: p) : .deferCall(call, pos: p)
        case .kwReturn:
            next()
            var results: [Expr] = []
            if tok != .semicolon && tok != .rbrace { results = try parseExprList() }
            try expectSemi()
            return .returnStmt(results, pos: p)
        case .kwBreak, .kwContinue, .kwGoto, .kwFallthrough:
            let keyword = tok
            next()
            var label: Ident?
            if keyword != .kwFallthrough && tok == .ident { label = try parseIdent() }
            if keyword == .kwGoto && label == nil { throw expected("identifier") }
            try expectSemi()
            return .branch(keyword, label: label, pos: p)
        case .lbrace:
            let block = try parseBlock()
            try expectSemi()
            return .block(block)
        case .kwIf: return .ifStmt(try parseIf())
        case .kwSwitch: return try parseSwitch()
        case .kwSelect: return try parseSelect()
        case .kwFor: return try parseFor()
        case .semicolon:
            next()
            return .empty(pos: p)
        case .rbrace:
            return .empty(pos: p)
        default:
            throw expected("statement")
        }
    }

    mutating func parseCallStatement(_ keyword: String) throws -> Call {
        let x = try parseRhs()
        if case .paren = x { throw error("expression in \(keyword) must not be parenthesized", at: x.pos) }
        guard case .call(let call) = x else { throw error("expression in \(keyword) must be function call", at: x.pos) }
        return call
    }

    /// A simple statement; with `rangeOK`, also `k, v := range x` (reported as `isRange`).
    mutating func parseSimpleStatement(labelOK: Bool, rangeOK: Bool) throws -> (Stmt, isRange: Bool) {
        let p = pos
        if rangeOK && tok == .kwRange {
            next()
            let collection = try parseExpr()
            return (.rangeStmt(key: nil, value: nil, op: .eof, collection: collection, body: Block(statements: [], lbrace: 0, rbrace: 0), pos: p), true)
        }
        let lhs = try parseExprList()
        switch tok {
        case .define, .assign, .addAssign, .subAssign, .mulAssign, .quoAssign, .remAssign, .andAssign, .orAssign,
             .xorAssign, .shlAssign, .shrAssign, .andNotAssign:
            let op = tok
            let opPos = pos
            next()
            if rangeOK && tok == .kwRange && (op == .define || op == .assign) {
                next()
                let collection = try parseExpr()
                if lhs.count > 2 { throw error("range clause permits at most two iteration variables", at: lhs[2].pos) }
                return (.rangeStmt(key: lhs[0], value: lhs.count > 1 ? lhs[1] : nil, op: op, collection: collection,
                                   body: Block(statements: [], lbrace: 0, rbrace: 0), pos: p), true)
            }
            let rhs = try parseExprList()
            return (.assign(lhs: lhs, op: op, rhs: rhs, pos: opPos), false)
        default:
            break
        }
        if lhs.count > 1 { throw error("expected 1 expression", at: lhs[0].pos) }
        let x = lhs[0]
        switch tok {
        case .colon:
            if labelOK, case .ident(let label) = x {
                next()
                return (.labeled(label, try parseStatement()), false)
            }
        case .arrow:
            let arrow = pos
            next()
            return (.send(channel: x, value: try parseRhs(), pos: arrow), false)
        case .inc, .dec:
            let op = tok
            next()
            return (.incDec(x, op), false)
        default:
            break
        }
        return (.expr(x), false)
    }

    mutating func parseIf() throws -> IfStmt {
        try enterNesting()
        defer { leaveNesting() }
        let p = try expect(.kwIf)
        if tok == .lbrace { throw error("missing condition in if statement") }
        let saved = exprLev
        exprLev = -1
        var initial: Stmt?
        var conditionStmt: Stmt?
        if tok != .semicolon {
            if tok == .kwVar { throw error("var declaration not allowed in if initializer") }
            initial = try parseSimpleStatement(labelOK: false, rangeOK: false).0
        }
        if tok != .lbrace {
            if tok == .semicolon {
                let newline = tokens[i].start == tokens[i].end
                next()
                if tok == .lbrace {
                    throw error(newline ? "unexpected newline, expected { after if clause" : "missing condition in if statement")
                }
            } else {
                throw expected("';'")
            }
            conditionStmt = try parseSimpleStatement(labelOK: false, rangeOK: false).0
        } else {
            conditionStmt = initial
            initial = nil
        }
        exprLev = saved
        guard case .expr(let condition)? = conditionStmt else {
            throw error("cannot use assignment as value; missing condition in if statement")
        }
        let body = try parseBlock()
        var elseBranch: Stmt?
        if tok == .kwElse {
            next()
            switch tok {
            case .kwIf: elseBranch = .ifStmt(try parseIf())
            case .lbrace:
                elseBranch = .block(try parseBlock())
                try expectSemi()
            default: throw expected("if statement or block")
            }
        } else {
            try expectSemi()
        }
        return IfStmt(initial: initial, condition: condition, body: body, elseBranch: elseBranch, pos: p)
    }

    mutating func parseSwitch() throws -> Stmt {
        let p = try expect(.kwSwitch)
        let saved = exprLev
        exprLev = -1
        var s1: Stmt?
        var s2: Stmt?
        if tok != .lbrace {
            if tok != .semicolon { s2 = try parseSimpleStatement(labelOK: false, rangeOK: false).0 }
            if tok == .semicolon {
                next()
                s1 = s2
                s2 = nil
                if tok != .lbrace { s2 = try parseSimpleStatement(labelOK: false, rangeOK: false).0 }
            }
        }
        exprLev = saved
        let isTypeSwitch = s2.map(Self.isTypeSwitchGuard) ?? false
        try expect(.lbrace)
        var clauses: [CaseClause] = []
        while tok == .kwCase || tok == .kwDefault {
            let cp = pos
            var values: [Expr] = []
            let isDefault = tok == .kwDefault
            next()
            if !isDefault { values = try parseExprList() }
            try expect(.colon)
            clauses.append(CaseClause(values: values, isDefault: isDefault, body: try parseStatementList(), pos: cp))
        }
        try expect(.rbrace)
        try expectSemi()
        if isTypeSwitch, let s2 {
            return .typeSwitch(initial: s1, assign: s2, clauses: clauses, pos: p)
        }
        var tag: Expr?
        if let s2 {
            guard case .expr(let x) = s2 else { throw error("switch expression must be an expression", at: p) }
            tag = x
        }
        return .switchStmt(initial: s1, tag: tag, clauses: clauses, pos: p)
    }

    static func isTypeSwitchGuard(_ s: Stmt) -> Bool {
        switch s {
        case .expr(.typeAssert(_, nil, _)): return true
        case .assign(let lhs, .define, let rhs, _):
            if lhs.count == 1, rhs.count == 1, case .typeAssert(_, nil, _) = rhs[0] { return true }
            return false
        default: return false
        }
    }

    mutating func parseSelect() throws -> Stmt {
        let p = try expect(.kwSelect)
        try expect(.lbrace)
        var clauses: [CommClause] = []
        while tok == .kwCase || tok == .kwDefault {
            let cp = pos
            var comm: Stmt?
            if tok == .kwCase {
                next()
                let lhs = try parseExprList()
                if tok == .arrow {
                    if lhs.count > 1 { throw error("expected 1 expression", at: lhs[0].pos) }
                    let arrow = pos
                    next()
                    comm = .send(channel: lhs[0], value: try parseRhs(), pos: arrow)
                } else if tok == .assign || tok == .define {
                    let op = tok
                    let opPos = pos
                    if lhs.count > 2 { throw error("expected 1 or 2 expressions", at: lhs[0].pos) }
                    next()
                    comm = .assign(lhs: lhs, op: op, rhs: [try parseRhs()], pos: opPos)
                } else {
                    if lhs.count > 1 { throw error("expected 1 expression", at: lhs[0].pos) }
                    comm = .expr(lhs[0])
                }
            } else {
                next()
            }
            try expect(.colon)
            clauses.append(CommClause(comm: comm, body: try parseStatementList(), pos: cp))
        }
        try expect(.rbrace)
        try expectSemi()
        return .select(clauses, pos: p)
    }

    mutating func parseFor() throws -> Stmt {
        let p = try expect(.kwFor)
        let saved = exprLev
        exprLev = -1
        var s1: Stmt?
        var s2: Stmt?
        var s3: Stmt?
        var isRange = false
        if tok != .lbrace {
            if tok != .semicolon { (s2, isRange) = try parseSimpleStatement(labelOK: false, rangeOK: true) }
            if !isRange && tok == .semicolon {
                next()
                s1 = s2
                s2 = nil
                if tok != .semicolon {
                    if tok == .lbrace { throw error("expected for loop condition") }
                    s2 = try parseSimpleStatement(labelOK: false, rangeOK: false).0
                }
                try expectSemi()
                if tok != .lbrace { s3 = try parseSimpleStatement(labelOK: false, rangeOK: false).0 }
            }
        }
        exprLev = saved
        let body = try parseBlock()
        try expectSemi()
        if isRange, case .rangeStmt(let key, let value, let op, let collection, _, _)? = s2 {
            return .rangeStmt(key: key, value: value, op: op, collection: collection, body: body, pos: p)
        }
        var condition: Expr?
        if let s2 {
            guard case .expr(let x) = s2 else { throw error("cannot use assignment as value; expected for loop condition", at: p) }
            condition = x
        }
        return .forStmt(initial: s1, condition: condition, post: s3, body: body, pos: p)
    }
}
