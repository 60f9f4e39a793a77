import LeakscopeGoSource

/// Calls of the package's own functions that cannot fail: every `return` of the callee gives a
/// literal `nil` as its `error`. The branch that handles such a call's error never runs, and a
/// lock LS006 sees held at a `return` there is never kept:
///
///     func (wm *WebsocketManager) removeClient(client *Client) error {
///         wm.mu.Lock()
///         if err := client.close(); err != nil { // close ends with `return nil`, its only return
///             return err
///         }
///         …
///
/// (gonuts's websocket manager, session 34's clean pass; ZanRedisDB's `radixMemIndex.NewIterator`,
/// session 30's.) Only a callee the package declares and the call names for certain counts: a
/// plain function no local hides, or a method on a name whose declared type is one of the
/// package's, or on a field such a type declares with one of the package's types; an interface's
/// method may have other implementations, and another package's function may change.
enum NeverFailingCalls {
    /// Whether `f` returns an `error` last and every `return` of its own (not a literal's) gives a
    /// literal `nil` there: no bare return, which would give a named result's value, and no
    /// `defer` when a result is named (a deferred `recover` may set it after `return nil`).
    static func neverFails(_ f: FuncDecl) -> Bool {
        guard let last = f.type.results.last, last.type.identName == "error", let body = f.body else { return false }
        let named = f.type.results.contains { !$0.names.isEmpty }
        let count = f.type.results.reduce(0) { $0 + max(1, $1.names.count) }
        var returns = 0
        var allNil = true
        for s in body.statements {
            Walk.statements(s, intoFuncLits: false, { st in
                if case .returnStmt(let results, _) = st {
                    returns += 1
                    if results.count != count || results.last?.identName != "nil" { allNil = false }
                }
                if named, case .deferCall = st { allNil = false }
                return allNil
            }, { _ in true })
        }
        return returns > 0 && allNil
    }

    /// The package's function or method `c` calls, when the call names it for certain: `f(…)`
    /// with no parameter or local of that name (`AbandonedSend.declared`); `x.m(…)` with `x` a
    /// name of the package's type `T` (`T.m`); `x.f.m(…)` with `x` such a name and `f` a field
    /// `T` declares with the package's type `U` (`U.m`).
    static func callee(_ c: Call, _ ctx: CheckContext) -> FuncDecl? {
        let fun = c.fun.unparenthesized
        if case .selector(.selector(.ident(let owner), let field), let method) = fun {
            let types = LocalTypes(ctx.unit)
            guard let ownerType = types.type(of: .ident(owner), facts: ctx.package).flatMap(PackageFacts.receiverTypeName),
                  let fieldType = ctx.package.structFields[ownerType]?[field.name].flatMap(PackageFacts.receiverTypeName) else { return nil }
            return ctx.package.methods[fieldType + "." + method.name]?.decl
        }
        return AbandonedSend.declared(fun, ctx)?.0
    }

    /// The returns of `body` (not in literals) inside the branch of `if err != nil { … }` where
    /// `err` is the error of a call that never fails, made in the `if`'s initialiser or the
    /// statement right before it.
    static func deadReturns(_ body: [Stmt], _ ctx: CheckContext) -> Set<Int32> {
        var dead = Set<Int32>()
        forEachStatement(body) { s, frames in
            guard case .ifStmt(let i) = s, let frame = frames.last else { return }
            var checked = i.initial.flatMap(ErrorExits.checkedCall)
            if i.initial == nil, frame.index > 0 { checked = ErrorExits.checkedCall(frame.list[frame.index - 1]) }
            guard let (call, name) = checked, ErrorExits.isNotNil(i.condition, name),
                  let f = callee(call, ctx), neverFails(f) else { return }
            for inner in i.body.statements {
                Walk.statements(inner, intoFuncLits: false, { st in
                    if case .returnStmt(_, let p) = st { dead.insert(p) }
                    return true
                }, { _ in true })
            }
        }
        return dead
    }
}
