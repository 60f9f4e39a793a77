/// Expressions: operands, primary expressions (selectors, indexes, slices, calls, composite
/// literals), unary and binary operators.
extension GoParser {
    mutating func parseExpr() throws -> Expr { try parseBinaryExpr(nil, 1) }

    /// An expression that may also be a type (`make([]int, 1)`, `(*T)(x)`).
    mutating func parseRhs() throws -> Expr { try parseExpr() }

    mutating func parseTypeOrExpr() throws -> Expr { try parseExpr() }

    mutating func parseExprList() throws -> [Expr] {
        var list = [try parseExpr()]
        while tok == .comma {
            next()
            list.append(try parseExpr())
        }
        return list
    }

    mutating func parseBinaryExpr(_ lhs: Expr?, _ minPrecedence: Int) throws -> Expr {
        var x = try lhs ?? parseUnaryExpr()
        // Each operator of a chain deepens the (left-leaning) tree by one.
        var levels = 0
        defer { operatorChain -= levels }
        while true {
            try enterOperatorChain()
            levels += 1
            let op = tok
            let precedence = op.precedence
            if precedence < minPrecedence { return x }
            let p = pos
            next()
            let y = try parseBinaryExpr(nil, precedence + 1)
            x = .binary(op: op, x, y, pos: p)
        }
    }

    mutating func parseUnaryExpr() throws -> Expr {
        try enterNesting()
        defer { leaveNesting() }
        let p = pos
        switch tok {
        case .add, .sub, .not, .xor, .and, .tilde:
            let op = tok
            next()
            return .unary(op: op, try parseUnaryExpr(), pos: p)
        case .arrow:
            next()
            let x = try parseUnaryExpr()
            if case .chanType(let direction, let element, _) = x {
                // `<-chan T`: a receive-only channel type, not a receive.
                if direction == .send { throw error("expected 'chan'", at: x.pos) }
                return .chanType(direction: .receive, element: element, pos: p)
            }
            return .unary(op: .arrow, x, pos: p)
        case .mul:
            next()
            return .star(try parseUnaryExpr(), pos: p)
        default:
            return try parsePrimaryExpr(nil)
        }
    }

    mutating func parseOperand() throws -> Expr {
        let p = pos
        switch tok {
        case .ident:
            return .ident(try parseIdent())
        case .int, .float, .imag, .char, .string:
            let kind = tok
            let literal = text(tokens[i])
            next()
            return .basicLit(kind: kind, text: literal, pos: p)
        case .lparen:
            next()
            exprLev += 1
            let x = try parseRhs()
            exprLev -= 1
            try expect(.rparen)
            return .paren(x, pos: p)
        case .kwFunc:
            next()
            if tok == .lbrack { throw error("function type must have no type parameters") }
            let (params, results) = try parseSignature()
            let type = FuncType(typeParams: [], params: params, results: results, pos: p)
            if tok == .lbrace {
                exprLev += 1
                let body = try parseBlock()
                exprLev -= 1
                return .funcLit(type: type, body: body)
            }
            return .funcType(type)
        case .lbrack, .kwStruct, .kwMap, .kwChan, .kwInterface:
            return try parseType()
        default:
            throw expected("expression")
        }
    }

    /// Whether `{` after `x` starts a composite literal (go/parser's rule; in a control clause
    /// header a plain type name is taken to end the header instead).
    func startsLiteral(_ x: Expr) -> (literal: Bool, parenthesized: Bool) {
        let t = x.unparenthesized
        switch t {
        case .ident, .selector, .index:
            return (exprLev >= 0, isParen(x))
        case .arrayType, .structType, .mapType:
            return (true, isParen(x))
        default:
            return (false, false)
        }
    }

    private func isParen(_ x: Expr) -> Bool {
        if case .paren = x { return true }
        return false
    }

    mutating func parsePrimaryExpr(_ operand: Expr?) throws -> Expr {
        var x = try operand ?? parseOperand()
        // Each selector, index, call or literal of a chain deepens the tree by one.
        var levels = 0
        defer { leaveNesting(levels) }
        while true {
            try enterNesting()
            levels += 1
            switch tok {
            case .period:
                next()
                if tok == .ident {
                    x = .selector(x, try parseIdent())
                } else if tok == .lparen {
                    let p = pos
                    next()
                    if tok == .kwType {
                        next()
                        try expect(.rparen)
                        x = .typeAssert(x, type: nil, pos: p)
                    } else {
                        let type = try parseType()
                        try expect(.rparen)
                        x = .typeAssert(x, type: type, pos: p)
                    }
                } else {
                    throw expected("selector or type assertion")
                }
            case .lbrack:
                x = try parseIndexOrSlice(x)
            case .lparen:
                x = .call(try parseCallArguments(x))
            case .lbrace:
                let (literal, parenthesized) = startsLiteral(x)
                if !literal { return x }
                if parenthesized { throw error("cannot parenthesize type in composite literal", at: x.pos) }
                x = try parseLiteralValue(type: x)
            default:
                return x
            }
        }
    }

    mutating func parseIndexOrSlice(_ x: Expr) throws -> Expr {
        let lbrack = try expect(.lbrack)
        if tok == .rbrack { throw expected("operand") }
        exprLev += 1
        defer { exprLev -= 1 }
        var indices: [Expr?] = [nil, nil, nil]
        var colons = 0
        if tok != .colon { indices[0] = try parseRhs() }
        var sawComma = false
        var list: [Expr] = []
        while tok == .colon && colons < 2 {
            colons += 1
            next()
            if tok != .colon && tok != .rbrack && tok != .eof { indices[colons] = try parseRhs() }
        }
        if colons == 0 && tok == .comma {
            sawComma = true
            list = [indices[0]!]
            while tok == .comma {
                next()
                if tok == .rbrack { break }
                list.append(try parseType())
            }
        }
        if tok != .rbrack { throw expected("']'") }
        next()
        if colons > 0 {
            if colons == 2 {
                if indices[1] == nil { throw error("middle index required in 3-index slice", at: lbrack) }
                if indices[2] == nil { throw error("final index required in 3-index slice", at: lbrack) }
            }
            return .slice(x, low: indices[0], high: indices[1], max: indices[2], pos: lbrack)
        }
        if sawComma { return .index(x, list, pos: lbrack) }
        return .index(x, [indices[0]!], pos: lbrack)
    }

    mutating func parseCallArguments(_ fun: Expr) throws -> Call {
        let lparen = try expect(.lparen)
        exprLev += 1
        var args: [Expr] = []
        var ellipsis = false
        while tok != .rparen && tok != .eof && !ellipsis {
            args.append(try parseTypeOrExpr())
            if tok == .ellipsis {
                ellipsis = true
                next()
            }
            if tok != .comma {
                if tok != .rparen {
                    if tok == .semicolon && tokens[i].start == tokens[i].end {
                        throw error("missing ',' before newline in argument list")
                    }
                    throw error("missing ',' in argument list")
                }
                break
            }
            next()
        }
        exprLev -= 1
        _ = try expectClosing(.rparen, "argument list")
        return Call(fun: fun, args: args, hasEllipsis: ellipsis, lparen: lparen)
    }

    mutating func parseLiteralValue(type: Expr?) throws -> Expr {
        try enterNesting()
        defer { leaveNesting() }
        let lbrace = try expect(.lbrace)
        exprLev += 1
        var elements: [Expr] = []
        while tok != .rbrace && tok != .eof {
            var element = try parseElement()
            if tok == .colon {
                let p = pos
                next()
                element = .keyValue(element, try parseElement(), pos: p)
            }
            elements.append(element)
            if tok != .comma {
                if tok != .rbrace {
                    if tok == .semicolon && tokens[i].start == tokens[i].end {
                        throw error("missing ',' before newline in composite literal")
                    }
                    throw error("missing ',' in composite literal")
                }
                break
            }
            next()
        }
        exprLev -= 1
        let rbrace = try expectClosing(.rbrace, "composite literal")
        return .compositeLit(type: type, elements: elements, pos: type?.pos ?? lbrace, rbrace: rbrace)
    }

    mutating func parseElement() throws -> Expr {
        if tok == .lbrace { return try parseLiteralValue(type: nil) }
        return try parseExpr()
    }
}
