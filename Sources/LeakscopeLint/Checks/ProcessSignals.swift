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
    /// `alsoLocal`: more names the function declares (those of its literals, when `body` is one's).
    static func endsOnlyOnStop(_ body: [Stmt], _ ctx: CheckContext, alsoLocal: Set<String> = []) -> Bool {
        let locals = LocalTypes(ctx.unit).declared.union(alsoLocal)
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
