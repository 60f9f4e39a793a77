import LeakscopeGoSource

/// LS002's process-lifetime loops: a function that ends in `for { … }` whose only ways out are
/// returns in select cases that receive from a signal of another package (`case
/// <-datakit.Exit.Wait(): return`). Such a value lives at package level, for the whole process,
/// and such a signal usually says the process is stopping: a ticker made before that loop lives
/// as long as the process. `low`, not silent: a package may make its signal again for a restart.
extension TickerCheck {
    /// Why a ticker of such a loop is `low`.
    static let endsWithTheProcess = "the function's loop ends only when a signal of another package fires (a process-wide value such as an exit channel): the ticker lives as long as the process unless that signal is made again"

    /// Whether `body` ends in an endless `for` whose every way out is a return in a select case
    /// receiving from an expression rooted at an imported package (not a local of that name),
    /// with no return before that loop.
    static func endsOnlyWithTheProcess(_ body: [Stmt], _ ctx: CheckContext) -> Bool {
        let locals = LocalTypes(ctx.unit).declared
        return endsOnlyOn(body) { comm in
            guard var root = Lint.receivedChannel(comm) else { return false }
            var walking = true
            while walking {
                switch root.unparenthesized {
                case .call(let c): root = c.fun
                case .selector(let base, _): root = base
                default: walking = false
                }
            }
            guard let name = root.unparenthesized.identName, ctx.imports[name] != nil, !locals.contains(name) else { return false }
            return true
        }
    }

    /// Whether `body` ends in an endless `for` whose every way out is a return in a select case
    /// that receives from a stop signal: `x.Done()` of any context, or a channel the function
    /// did not declare (a parameter, a field, a package's value), with no return before that
    /// loop. A loop that ends only when its owner is stopped: when the function runs once per
    /// process, the ticker it feeds is wanted until shutdown.
    static func endsOnlyOnStop(_ body: [Stmt], _ ctx: CheckContext) -> Bool {
        let locals = LocalTypes(ctx.unit).declared
        return endsOnlyOn(body) { comm in
            guard let channel = Lint.receivedChannel(comm)?.unparenthesized else { return false }
            if case .call(let c) = channel, c.args.isEmpty, case .selector(_, let method) = c.fun.unparenthesized, method.name == "Done" {
                return true
            }
            var root = channel
            while case .selector(let base, _) = root.unparenthesized { root = base }
            guard let name = root.unparenthesized.identName else { return false }
            return !locals.contains(name) || ctx.unit.signatureNames.contains(name)
        }
    }

    /// Whether `body` (a goroutine literal's, in a method) ends in an endless `for` whose every way
    /// out is a return in a select case receiving from a field `f` of the method's receiver that
    /// only the type's stopping methods send on or close (`Stop`, `Close`, `Shutdown` … by
    /// prefix, `RangeNeverClosed.lifecycleMethods`; at least one does, nothing else in the package
    /// sends on or closes a field of that name) and that the method does not assign: BricksLLM's
    /// memdb `Listen`, whose goroutine returns only when `Stop` sends on `mdb.done` (session 39).
    /// Not a context's `Done()`, which the function may cancel itself, nor a data channel closed
    /// when the work ends, nor a channel the method makes (a code review's shapes).
    static func endsOnlyOnOwnersStop(_ body: [Stmt], _ ctx: CheckContext) -> Bool {
        guard let receiver = ctx.unit.receiver?.names.first?.name,
              let type = ctx.unit.receiver.flatMap({ PackageFacts.receiverTypeName($0.type) }) else { return false }
        var fields = Set<String>()
        let ends = endsOnlyOn(body) { comm in
            guard case .selector(.ident(let x), let f)? = Lint.receivedChannel(comm)?.unparenthesized, x.name == receiver else { return false }
            fields.insert(f.name)
            return true
        }
        guard ends, !fields.isEmpty else { return false }
        for field in fields {
            if ctx.unit.body.statements.contains(where: { assignsField($0, receiver, field) }) {
                return false
            }
            guard onlyStoppersSignal(field, type: type, ctx) else { return false }
        }
        return true
    }

    /// Whether `s` assigns `receiver.field` (`w.quit = make(…)`), literals included.
    static func assignsField(_ s: Stmt, _ receiver: String, _ field: String) -> Bool {
        var found = false
        Walk.statements(s, intoFuncLits: true, { st in
            if case .assign(let lhs, _, _, _) = st, lhs.contains(where: { l in
                if case .selector(.ident(let x), let f) = l.unparenthesized { return x.name == receiver && f.name == field }
                return false
            }) { found = true }
            return !found
        }, { _ in true })
        return found
    }

    /// Whether every send on, or `close` of, a field named `field` in the package's functions and
    /// methods is in a stopping method of `type`, and one is.
    static func onlyStoppersSignal(_ field: String, type: String, _ ctx: CheckContext) -> Bool {
        // `other`: the receiver of a method of another type, whose own field of that name it is.
        func signals(_ body: Block, other: String? = nil) -> Bool {
            func ours(_ channel: Expr) -> Bool {
                guard case .selector(let base, let f) = channel.unparenthesized, f.name == field else { return false }
                return other == nil || base.unparenthesized.identName != other
            }
            var found = false
            for s in body.statements {
                Walk.statements(s, intoFuncLits: true, { st in
                    if case .send(let channel, _, _) = st, ours(channel) { found = true }
                    return !found
                }, { e in
                    if case .call(let c) = e, c.fun.identName == "close", c.args.count == 1, ours(c.args[0]) { found = true }
                    return !found
                })
            }
            return found
        }
        var byStopper = false
        for (key, method) in ctx.package.methods {
            let other = key.hasPrefix(type + ".") ? nil : method.decl.receiver?.names.first?.name
            guard let body = method.decl.body, signals(body, other: other) else { continue }
            let name = method.decl.name.name.lowercased()
            guard key.hasPrefix(type + "."), RangeNeverClosed.lifecycleMethods.contains(where: { name.hasPrefix($0) }) else { return false }
            byStopper = true
        }
        for function in ctx.package.functions.values {
            if let body = function.body, signals(body) { return false }
        }
        return byStopper
    }

    /// Whether `body` ends in an endless `for` (labelled or not) with no return before it, whose
    /// every way out is a return in a select case `isSignal` accepts, with at least one such return.
    static func endsOnlyOn(_ body: [Stmt], isSignal: (Stmt?) -> Bool) -> Bool {
        guard var last = body.last else { return false }
        var label: String?
        if case .labeled(let l, let inner) = last { label = l.name; last = inner }
        guard case .forStmt(_, nil, _, let loop, _) = last,
              AbandonedSend.firstReturn(Array(body.dropLast())) == nil else { return false }
        // No other way out, and at least one return on such a signal.
        guard !loop.statements.contains(where: {
            EndlessGoroutine.hasExit($0, label: label, depth: 0, staysOnReturnIn: isSignal)
        }) else { return false }
        var found = false
        forEachStatement(loop.statements) { s, _ in
            if !found, case .select(let clauses, _) = s {
                found = clauses.contains { isSignal($0.comm) && AbandonedSend.firstReturn($0.body) != nil }
            }
        }
        return found
    }
}
