import LeakscopeGoSource

extension AbandonedSend {
    /// Whether the select case `comm`, receiving from a channel `D`, can be taken only after
    /// every counted send on `name` was received. `D` is signalled (sent on or closed) only by
    /// goroutine literals that first wait on a local `sync.WaitGroup` `W` (`go func() {
    /// W.Wait(); D <- true }()`), and `W.Done()` is called only as a statement of the cases of
    /// `clauses` that receive from `name`: each value taken counts one `Done`, so `Wait` returns
    /// only once the senders `W` counted were all received (ci-tools' step runner, docs/LINT.md
    /// session 32). `W` is used only for `Add`, `Wait` and those `Done`s, and `D` only for its
    /// declaration, those signals, receives in select cases and a `close` in its own case.
    static func signalledAfterDrain(_ comm: Stmt?, clauses: [CommClause], _ name: String, function body: [Stmt]) -> Bool {
        guard let signal = receivedOperand(comm)?.identName, signal != name else { return false }
        // The goroutine literals that wait on a group, then signal; the group they wait on.
        var group: String?
        var signals = 0
        var consistent = true
        forEachGoLiteral(body) { _, call, literal in
            guard call.args.isEmpty, let signalAt = literal.firstIndex(where: { isSignal($0, signal) }) else { return }
            let waits = literal[..<signalAt].compactMap { waitedGroup($0) }
            guard let waited = waits.last, group == nil || group == waited else { consistent = false; return }
            group = waited
            signals += 1
        }
        guard consistent, let group, signals > 0 else { return false }
        // The `Done`s allowed: statements of the cases that receive from `name`.
        var allowedDones = Set<Int32>()
        var doneClosesAllowed = 0
        for clause in clauses {
            if isReceive(clause.comm, name) {
                for case .expr(let x) in clause.body {
                    if let c = Lint.call(x), groupMethod(c, group) == "Done" { allowedDones.insert(c.fun.pos) }
                }
            }
            if isReceive(clause.comm, signal) {
                doneClosesAllowed += clause.body.filter { isSignal($0, signal) }.count
            }
        }
        guard !allowedDones.isEmpty else { return false }
        // Every mention of the group is a declaration, `Add`, `Wait` or an allowed `Done`; every
        // mention of the signal channel a declaration, a signal of a waiting literal, a receive
        // in a select case or a close in its own case.
        var groupMentions = 0, groupUses = 0
        var signalMentions = 0, signalUses = 0
        var doneOutside = false
        for statement in body {
            Walk.statements(statement, intoFuncLits: true, { s in
                switch s {
                case .assign(let lhs, let op, _, _) where op == .define:
                    groupUses += lhs.filter { $0.identName == group }.count
                    signalUses += lhs.filter { $0.identName == signal }.count
                case .select(let cs, _):
                    signalUses += cs.filter { isReceive($0.comm, signal) }.count
                default: break
                }
                return true
            }, { e in
                if case .ident(let id) = e {
                    if id.name == group { groupMentions += 1 }
                    if id.name == signal { signalMentions += 1 }
                }
                if case .call(let c) = e, let method = groupMethod(c, group) {
                    if ["Add", "Wait"].contains(method) { groupUses += 1 }
                    if method == "Done" {
                        groupUses += 1
                        if !allowedDones.contains(c.fun.pos) { doneOutside = true }
                    }
                }
                return true
            })
        }
        signalUses += signals + doneClosesAllowed
        return !doneOutside && groupMentions == groupUses && signalMentions == signalUses
    }

    /// Calls `visit` with the position, call and statements of each `go func(…) {…}(…)` in
    /// `body`, nested ones too.
    static func forEachGoLiteral(_ body: [Stmt], _ visit: (Int32, Call, [Stmt]) -> Void) {
        for statement in body {
            Walk.statements(statement, intoFuncLits: true, { s in
                if case .go(let c, let pos) = s, case .funcLit(_, let literal) = c.fun.unparenthesized {
                    visit(pos, c, literal.statements)
                }
                return true
            }, { _ in true })
        }
    }

    /// `signal <- v` or `close(signal)` as a statement.
    static func isSignal(_ s: Stmt, _ signal: String) -> Bool {
        if case .send(let channel, _, _) = s { return channel.identName == signal }
        if case .expr(let x) = s, let c = Lint.call(x) { return closedChannel(c) == signal }
        return false
    }

    /// `w` of a `w.Wait()` statement.
    static func waitedGroup(_ s: Stmt) -> String? {
        guard case .expr(let x) = s, let c = Lint.call(x), c.args.isEmpty,
              case .selector(.ident(let w), let m) = c.fun.unparenthesized, m.name == "Wait" else { return nil }
        return w.name
    }

    /// The method name of `group.m(…)`.
    static func groupMethod(_ c: Call, _ group: String) -> String? {
        guard case .selector(.ident(let w), let m) = c.fun.unparenthesized, w.name == group else { return nil }
        return m.name
    }
}
