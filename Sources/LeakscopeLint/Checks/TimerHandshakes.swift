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
    /// The timer `t` made by `t := time.NewTimer(…)` in `function` when the sender `body` sends on
    /// `channel` once, in the body of an `if t.Stop() { … }` outside loops or followed by a
    /// return, and `function` uses
    /// `t` for nothing but `t.C` and `t.Stop()`: a reset, an alias or a helper handed the timer
    /// could make it fire after the sender's `Stop`, and a second send would find no receiver.
    static func stopGuardingTimer(_ channel: String, _ body: [Stmt], function: [Stmt], _ context: CheckContext) -> String? {
        let sends = plainSends(channel, body)
        guard sends.count == 1 else { return nil }
        var timer: String?
        var inLoop = false
        forEachStatement(body) { s, frames in
            guard case .ifStmt(let i) = s, i.initial == nil, let t = stoppedTimer(i.condition),
                  plainSends(channel, i.body.statements) == sends else { return }
            timer = t
            // In a loop, only when the goroutine returns right after the guard (kata's dialer).
            inLoop = frames.contains { $0.kind == .loop } && !returnsAfter(frames)
        }
        guard let timer, !inLoop, onlyStoppedAndRead(timer, function, context) else { return nil }
        return timer
    }

    /// `t.Stop()`: the timer's name.
    static func stoppedTimer(_ condition: Expr) -> String? {
        guard let c = Lint.call(condition.unparenthesized), c.args.isEmpty,
              case .selector(let base, let method) = c.fun.unparenthesized, method.name == "Stop" else { return nil }
        return base.unparenthesized.identName
    }

    /// Whether `function` (its literals included) assigns `timer` once, from `time.NewTimer(…)`,
    /// and otherwise mentions it only as `timer.C` and in `timer.Stop()`.
    static func onlyStoppedAndRead(_ timer: String, _ function: [Stmt], _ context: CheckContext) -> Bool {
        var made = 0
        var definitions = Set<Int32>()
        forEachStatement(function) { s, _ in
            guard case .assign(let lhs, _, let rhs, _) = s else { return }
            for (index, l) in lhs.enumerated() where l.identName == timer {
                guard lhs.count == rhs.count, let c = Lint.call(rhs[index]), context.calls(c, "time", ["NewTimer"]) else {
                    made = 2; continue
                }
                made += 1
                definitions.insert(l.pos)
            }
        }
        guard made == 1 else { return false }
        var other = false
        for s in function {
            Walk.stmt(s) { e in
                switch e {
                case .call(let c):
                    if c.args.isEmpty, case .selector(let base, let m) = c.fun.unparenthesized, m.name == "Stop",
                       base.unparenthesized.identName == timer { return false }
                    return true
                case .selector(let base, let field) where base.unparenthesized.identName == timer:
                    if field.name != "C" { other = true }
                    return false
                case .ident(let id) where id.name == timer:
                    if !definitions.contains(id.pos) { other = true }
                    return false
                default:
                    return !other
                }
            }
        }
        return !other
    }

    /// Whether a select case's communication receives from `timer.C`.
    static func receivesFromTimer(_ comm: Stmt?, _ timer: String) -> Bool {
        guard case .selector(let base, let field)? = receivedOperand(comm)?.unparenthesized else { return false }
        return field.name == "C" && base.unparenthesized.identName == timer
    }
}
