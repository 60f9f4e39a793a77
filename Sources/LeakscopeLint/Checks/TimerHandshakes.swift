import LeakscopeGoSource

/// LS001's timer hand-shake: a sender that sends only once `t.Stop()` said the timer was stopped
/// before it fired.
///
/// `Stop` reports true only when the timer had not fired: its value was never taken from `t.C`
/// (Go 1.23's unbuffered timer channels) or never put there (earlier Go). A receiver whose way
/// out is `case <-t.C:` has then not taken that case and never will, so it is still waiting in
/// the select and takes the send (kata's `commonDialer`: `if t.Stop() { ch <- conn } else {
/// conn.Close() }`).
extension AbandonedSend {
    /// The timer `t` made by `t := time.NewTimer(…)` in `function` when every plain send on
    /// `channel` in the sender `body` lies in the body of an `if t.Stop() { … }`, and nothing
    /// in `function` resets the timer (a reset timer can fire after the sender's `Stop`).
    static func stopGuardingTimer(_ channel: String, _ body: [Stmt], function: [Stmt], _ context: CheckContext) -> String? {
        let sends = Set(plainSends(channel, body))
        guard !sends.isEmpty else { return nil }
        var timers = Set<String>()
        var guarded = Set<Int32>()
        for s in body {
            Walk.statements(s, intoFuncLits: false, { st in
                guard case .ifStmt(let i) = st, i.initial == nil, let timer = stoppedTimer(i.condition) else { return true }
                let inside = plainSends(channel, i.body.statements)
                if !inside.isEmpty { timers.insert(timer); guarded.formUnion(inside) }
                return true
            }, { _ in true })
        }
        guard guarded == sends, timers.count == 1, let timer = timers.first,
              madeAsTimer(timer, function, context), !resets(timer, function) else { return nil }
        return timer
    }

    /// `t.Stop()`: the timer's name.
    static func stoppedTimer(_ condition: Expr) -> String? {
        guard let c = Lint.call(condition.unparenthesized), c.args.isEmpty,
              case .selector(let base, let method) = c.fun.unparenthesized, method.name == "Stop" else { return nil }
        return base.unparenthesized.identName
    }

    /// Whether `function` declares `timer := time.NewTimer(…)` and assigns it nothing else.
    static func madeAsTimer(_ timer: String, _ function: [Stmt], _ context: CheckContext) -> Bool {
        var made = 0, other = 0
        forEachStatement(function) { s, _ in
            guard case .assign(let lhs, _, let rhs, _) = s, lhs.count == rhs.count else { return }
            for (l, r) in zip(lhs, rhs) where l.identName == timer {
                if let c = Lint.call(r), context.calls(c, "time", ["NewTimer"]) { made += 1 } else { other += 1 }
            }
        }
        return made == 1 && other == 0
    }

    /// Whether `function` (its literals included) calls `timer.Reset(…)`.
    static func resets(_ timer: String, _ function: [Stmt]) -> Bool {
        var found = false
        for s in function {
            Walk.stmt(s) { e in
                if let c = Lint.call(e), case .selector(let base, let method) = c.fun.unparenthesized,
                   method.name == "Reset", base.unparenthesized.identName == timer { found = true }
                return !found
            }
        }
        return found
    }

    /// Whether a select case's communication receives from `timer.C`.
    static func receivesFromTimer(_ comm: Stmt?, _ timer: String) -> Bool {
        var operand: Expr?
        switch comm {
        case .expr(.unary(.arrow, let x, _))?: operand = x
        case .assign(_, _, let rhs, _)? where rhs.count == 1:
            if case .unary(.arrow, let x, _) = rhs[0] { operand = x }
        default: break
        }
        guard case .selector(let base, let field)? = operand?.unparenthesized else { return false }
        return field.name == "C" && base.unparenthesized.identName == timer
    }
}
