/// Types: names (with type arguments), arrays, slices, structs, pointers, functions, interfaces,
/// maps and channels.
extension GoParser {
    /// A type, or nil (without consuming anything) when the current token cannot start one.
    mutating func tryType() throws -> Expr? {
        try enterNesting()
        defer { leaveNesting() }
        switch tok {
        case .ident: return try parseTypeName(allowArguments: true)
        case .lbrack:
            let lbrack = pos
            next()
            return try parseArrayType(lbrack)
        case .kwStruct: return try parseStructType()
        case .mul:
            let p = pos
            next()
            return .star(try parseType(), pos: p)
        case .kwFunc:
            let p = pos
            next()
            if tok == .lbrack { throw error("function type must have no type parameters") }
            let (params, results) = try parseSignature()
            return .funcType(FuncType(typeParams: [], params: params, results: results, pos: p))
        case .kwInterface: return try parseInterfaceType()
        case .kwMap:
            let p = pos
            next()
            try expect(.lbrack)
            let key = try parseType()
            try expect(.rbrack)
            return .mapType(key: key, value: try parseType(), pos: p)
        case .kwChan, .arrow: return try parseChanType()
        case .lparen:
            let p = pos
            next()
            let inner = try parseType()
            try expect(.rparen)
            return .paren(inner, pos: p)
        default: return nil
        }
    }

    mutating func parseType() throws -> Expr {
        guard let type = try tryType() else { throw expected("type") }
        return type
    }

    /// `T`, `pkg.T`, optionally followed by `[A, B]`.
    mutating func parseTypeName(allowArguments: Bool) throws -> Expr {
        var x: Expr = .ident(try parseIdent())
        if tok == .period {
            next()
            x = .selector(x, try parseIdent())
        }
        if allowArguments && tok == .lbrack {
            let lbrack = pos
            next()
            var args: [Expr] = []
            exprLev += 1
            while tok != .rbrack && tok != .eof {
                args.append(try parseType())
                if tok != .comma { break }
                next()
            }
            exprLev -= 1
            try expect(.rbrack)
            if args.isEmpty { throw error("expected type argument list", at: lbrack) }
            x = .index(x, args, pos: lbrack)
        }
        return x
    }

    /// After `[`: `]T`, `...]T` or `N]T`.
    mutating func parseArrayType(_ lbrack: Int32) throws -> Expr {
        if tok == .rbrack {
            next()
            return .arrayType(length: nil, element: try parseType(), pos: lbrack)
        }
        var length: Expr
        exprLev += 1
        if tok == .ellipsis {
            length = .ellipsis(nil, pos: pos)
            next()
        } else {
            length = try parseRhs()
        }
        exprLev -= 1
        if tok == .comma {
            // `[N, M]T` is a misplaced instance.
            throw expected("']'")
        }
        try expect(.rbrack)
        return .arrayType(length: length, element: try parseType(), pos: lbrack)
    }

    mutating func parseChanType() throws -> Expr {
        let p = pos
        var direction = ChanDirection.both
        if tok == .kwChan {
            next()
            if tok == .arrow {
                next()
                direction = .send
            }
        } else {
            try expect(.arrow)
            try expect(.kwChan)
            direction = .receive
        }
        return .chanType(direction: direction, element: try parseType(), pos: p)
    }

    mutating func parseStructType() throws -> Expr {
        let p = try expect(.kwStruct)
        try expect(.lbrace)
        var fields: [Field] = []
        while tok == .ident || tok == .mul || tok == .lparen {
            fields.append(try parseFieldDecl())
        }
        try expect(.rbrace)
        return .structType(fields: fields, pos: p)
    }

    mutating func parseFieldDecl() throws -> Field {
        var field: Field
        if tok == .ident {
            let start = i
            let name = try parseIdent()
            if tok == .period || tok == .string || tok == .semicolon || tok == .rbrace {
                // Embedded `T` or `pkg.T[…]`.
                i = start
                field = Field(names: [], type: try parseTypeName(allowArguments: true), isVariadic: false)
            } else if tok == .lbrack {
                let (named, type) = try parseArrayFieldOrTypeInstance(name)
                field = Field(names: named ? [name] : [], type: type, isVariadic: false)
            } else {
                var names = [name]
                while tok == .comma {
                    next()
                    names.append(try parseIdent())
                }
                field = Field(names: names, type: try parseType(), isVariadic: false)
            }
        } else if tok == .mul {
            let p = pos
            next()
            if tok == .lparen { throw error("cannot parenthesize embedded type") }
            field = Field(names: [], type: .star(try parseTypeName(allowArguments: true), pos: p), isVariadic: false)
        } else {
            throw error("cannot parenthesize embedded type")
        }
        if tok == .string { next() }
        try expectSemi()
        return field
    }

    mutating func parseInterfaceType() throws -> Expr {
        let p = try expect(.kwInterface)
        try expect(.lbrace)
        var elements: [Field] = []
        while tok != .rbrace && tok != .eof {
            if tok == .ident && peek() == .lparen {
                let name = try parseIdent()
                let start = pos
                let (params, results) = try parseSignature()
                elements.append(Field(names: [name], type: .funcType(FuncType(typeParams: [], params: params, results: results, pos: start)),
                                      isVariadic: false))
            } else if tok == .ident || tok == .tilde || tryTypeStarts {
                elements.append(Field(names: [], type: try parseConstraint(), isVariadic: false))
            } else {
                throw expected("'}'")
            }
            try expectSemi()
        }
        try expect(.rbrace)
        return .interfaceType(elements: elements, pos: p)
    }

    var tryTypeStarts: Bool {
        switch tok {
        case .ident, .lbrack, .kwStruct, .mul, .kwFunc, .kwInterface, .kwMap, .kwChan, .arrow, .lparen: return true
        default: return false
        }
    }
}
