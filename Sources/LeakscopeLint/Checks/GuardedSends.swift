import LeakscopeGoSource

/// LS001's narrow race: a sender that checks its context right before it sends, and a receiver
/// that gives up only when that same context ends.
///
///     go func() {
///         env, err := s.stream.Recv()
///         if ctx.Err() != nil {
///             return // the receiver has gone, or is going
///         }
///         envC <- env
///     }()
///     select {
///     case v := <-envC: …
///     case <-ctx.Done(): return nil, ctx.Err()
///     }
///
/// The sender is stranded only when the context ends in the instant between its check and its
/// send: a real race, but one that strands a sender once in a great while, not once per
/// timeout (xmtp's stream readers ×4, session 34; newrelic's test helper, session 22: all judged
/// false). Such a finding is `low`; the fix, a select on `ctx.Done()` beside the send, is the same.
enum GuardedSends {
    /// Why such a finding is `low`.
    static let note = "every send follows a check that the context has not ended, and the receiver gives up only when that context ends: the sender is stranded only if it ends between the check and the send, a narrow race"

    /// `x` of a select case `<-x.Done()` (or `v, ok := <-x.Done()`), as written.
    static func doneContext(_ comm: Stmt?) -> String? {
        var received: Expr?
        switch comm {
        case .expr(let x)?: received = x
        case .assign(_, _, let rhs, _)? where rhs.count == 1: received = rhs[0]
        default: return nil
        }
        guard case .unary(.arrow, let operand, _)? = received?.unparenthesized, let call = Lint.call(operand),
              call.args.isEmpty, case .selector(let base, let method) = call.fun.unparenthesized, method.name == "Done" else { return nil }
        return Lint.text(base)
    }

    /// Whether every plain send on `channel` in `body` (a sender literal's) follows a guard on
    /// `context` — `if context.Err() != nil { …; return }`, or a select whose `<-context.Done()`
    /// case returns beside a `default` — with nothing that waits between the two: no send,
    /// receive, select, loop or `time.Sleep`, and no loop or case around the send that the guard
    /// lies outside of.
    static func guarded(_ channel: String, _ body: [Stmt], context: String) -> Bool {
        var sends = 0
        var allGuarded = true
        forEachStatement(body) { s, frames in
            guard case .send(let target, _, _) = s, target.identName == channel else { return }
            sends += 1
            if !guardedAt(frames, context: context) { allGuarded = false }
        }
        return sends > 0 && allGuarded
    }

    /// Whether the statement at the innermost of `frames` follows a guard with nothing waiting
    /// between: the nearest guard is looked for from the innermost frame outwards, and every frame
    /// inside the guard's must be a branch or block, its earlier statements free of waits.
    static func guardedAt(_ frames: [Frame], context: String) -> Bool {
        for depth in stride(from: frames.count - 1, through: 0, by: -1) {
            let frame = frames[depth]
            let before = frame.list[..<frame.index]
            if let guardIndex = before.lastIndex(where: { isGuard($0, context: context) }) {
                return !frame.list[(guardIndex + 1)..<frame.index].contains(where: waitsOnTheWay)
            }
            guard frame.kind == .branch || frame.kind == .block, !before.contains(where: waitsOnTheWay) else { return false }
        }
        return false
    }

    /// `if x.Err() != nil { …; return }` with no initialiser or else, or
    /// `select { case <-x.Done(): …; return; default: }`.
    static func isGuard(_ s: Stmt, context: String) -> Bool {
        switch s {
        case .ifStmt(let i):
            guard i.initial == nil, i.elseBranch == nil, case .binary(.neq, let a, let b, _) = i.condition,
                  b.identName == "nil", let call = Lint.call(a), call.args.isEmpty,
                  case .selector(let base, let method) = call.fun.unparenthesized, method.name == "Err",
                  Lint.text(base) == context, case .returnStmt? = i.body.statements.last else { return false }
            return true
        case .select(let clauses, _):
            return clauses.count == 2 && clauses.contains { $0.comm == nil }
                && clauses.contains { doneContext($0.comm) == context && { if case .returnStmt? = $0.body.last { return true }; return false }($0) }
        default:
            return false
        }
    }

    /// Whether `s`, a statement before the send, may wait on the way to it: an `if` with no else
    /// whose body ends in `return` (`if err != nil { errC <- err; return }`) waits only in its
    /// initialiser and condition, as the path that goes on to the send does not take its body.
    static func waitsOnTheWay(_ s: Stmt) -> Bool {
        if case .ifStmt(let i) = s, i.elseBranch == nil, case .returnStmt? = i.body.statements.last {
            let receives = Walk.contains(i.condition) { if case .unary(.arrow, _, _) = $0 { return true }; return false }
            return i.initial.map(waits) == true || receives
        }
        return waits(s)
    }

    /// Whether `s` may wait: a send, a receive, a select, a loop or a `time.Sleep`, outside
    /// function literals.
    static func waits(_ s: Stmt) -> Bool {
        var found = false
        Walk.statements(s, intoFuncLits: false, { st in
            switch st {
            case .send, .select, .forStmt, .rangeStmt: found = true
            default: break
            }
            return !found
        }, { e in
            if case .unary(.arrow, _, _) = e { found = true }
            if let c = Lint.call(e), case .selector(.ident(let p), let m) = c.fun.unparenthesized, p.name == "time", m.name == "Sleep" {
                found = true
            }
            return !found
        })
        return found
    }
}
