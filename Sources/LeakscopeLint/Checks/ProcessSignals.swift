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
        guard var last = body.last else { return false }
        var label: String?
        if case .labeled(let l, let inner) = last { label = l.name; last = inner }
        guard case .forStmt(_, nil, _, let loop, _) = last,
              AbandonedSend.firstReturn(Array(body.dropLast())) == nil else { return false }
        let locals = LocalTypes(ctx.unit).declared
        func isProcessSignal(_ comm: Stmt?) -> Bool {
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
        // No other way out, and at least one return on such a signal.
        guard !loop.statements.contains(where: {
            EndlessGoroutine.hasExit($0, label: label, depth: 0, staysOnReturnIn: isProcessSignal)
        }) else { return false }
        var found = false
        forEachStatement(loop.statements) { s, _ in
            if !found, case .select(let clauses, _) = s {
                found = clauses.contains { isProcessSignal($0.comm) && AbandonedSend.firstReturn($0.body) != nil }
            }
        }
        return found
    }
}
