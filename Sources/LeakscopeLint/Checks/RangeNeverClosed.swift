import LeakscopeGoSource

/// LS008: `for v := range ch` over a channel made in this function (or an unexported channel
/// field of the package) that nothing in the package closes and that is not handed elsewhere.
enum RangeNeverClosed {
    static func run(_ ctx: CheckContext) {
        let types = LocalTypes(ctx.unit)
        let body = ctx.unit.body.statements
        forEachStatement(body) { s, _ in
            guard case .rangeStmt(_, _, _, let collection, let loopBody, let pos) = s, let name = Lint.finalName(collection),
                  !ctx.package.closedNames.contains(name),
                  // A loop that can break or return ends without a close.
                  !loopBody.statements.contains(where: { EndlessGoroutine.hasExit($0, label: nil, depth: 0) })
            else { return }
            switch collection.unparenthesized {
            case .ident:
                // A channel this function made (`make(chan T)`), which does not leave the function.
                guard let declared = types.types[name], case .chanType = declared, madeHere(name, body),
                      !escapes(name, body) else { return }
            case .selector:
                guard let first = name.first, first.isLowercase || first == "_",
                      case .chanType? = ctx.package.fieldTypes[name], !ctx.package.passedNames.contains(name),
                      !ctx.package.fromCalls.contains(name) else { return }
            default:
                return
            }
            ctx.report(Checks.rangeNeverClosed, at: pos,
                           "range over channel \(name), which nothing in this package closes: the loop never ends")
        }
    }

    static func madeHere(_ name: String, _ body: [Stmt]) -> Bool {
        body.contains { s in
            var made = false
            Walk.statements(s, intoFuncLits: false, { st in
                if case .assign(let lhs, _, let rhs, _) = st, lhs.count == rhs.count {
                    for (l, r) in zip(lhs, rhs) where l.identName == name {
                        if case .call(let c) = r, c.fun.identName == "make" { made = true }
                    }
                }
                return !made
            }, { _ in true })
            return made
        }
    }

    /// Whether the channel is passed to a call, returned, stored, or sent.
    static func escapes(_ name: String, _ body: [Stmt]) -> Bool {
        body.contains { s in
            var escaped = false
            Walk.statements(s, intoFuncLits: true, { st in
                switch st {
                case .returnStmt(let results, _): if results.contains(where: { $0.identName == name }) { escaped = true }
                case .assign(let lhs, _, let rhs, _):
                    if rhs.contains(where: { $0.unparenthesized.identName == name }) && !lhs.allSatisfy({ $0.identName == name }) { escaped = true }
                case .send(_, let value, _): if value.identName == name { escaped = true }
                default: break
                }
                return !escaped
            }, { x in
                if case .call(let c) = x, c.fun.identName != "len", c.fun.identName != "cap",
                   c.args.contains(where: { $0.unparenthesized.identName == name }) { escaped = true }
                if case .compositeLit(_, let elements, _, _) = x, elements.contains(where: { Walk.contains($0) { $0.identName == name } }) { escaped = true }
                return !escaped
            })
            return escaped
        }
    }
}
