import LeakscopeGoSource

/// LS001's narrow race: a sender that checks its context right before it sends, and a receiver
/// that waits in one select for the value or that same context's end, and for nothing else.
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
/// send, while the receiver is already waiting: a real race, but one that strands a sender once in
/// a great while, not once per timeout (xmtp's stream readers, session 34; newrelic's test helper,
/// session 22: judged false). Such a finding is `low`; the fix, a select on `ctx.Done()` beside
/// the send, is the same. Everything that would widen the window keeps the finding `high`: a call,
/// receive, send, select, loop or `time.Sleep` between the check and the send (in the send's value,
/// or the conditions of the branches around it, too), a sender that may send more than once, a
/// context the sender names anew, a receiver that works between starting the sender and its
/// select, waits in a loop, has a `default` or any other case (a timer, a stop channel), or
/// receives the channel anywhere else (code review of the first version, session 34).
enum GuardedSends {
    /// Why such a finding is `low`.
    static let note = "the sender checks the context right before it sends, and the receiver waits only for the value or that context's end: the sender is stranded only if the context ends between the check and the send, a narrow race"

    /// Whether the finding on `channel`, whose receiver is the function's one `select` at
    /// `selectPos` and whose senders are `senders` (`AbandonedSend.Sender`), is that race.
    /// `siblings`: other channels each sender sends on once, which the select may take instead.
    static func narrowRace(_ channel: String, senders: [AbandonedSend.Sender], selectPos: Int32, siblings: Set<String>,
                           _ ctx: CheckContext) -> Bool {
        let body = ctx.unit.body.statements
        var found: (select: Stmt, frames: [Frame])?
        forEachStatement(body) { s, frames in
            if case .select(_, let pos) = s, pos == selectPos { found = (s, frames) }
        }
        guard let (select, frames) = found, case .select(let clauses, _) = select,
              !frames.contains(where: { $0.kind == .loop }), let frame = frames.last else { return false }
        // Every case takes the value (or a sibling's), or waits for one context's end.
        var end: String?
        for clause in clauses {
            let comm = clause.comm
            if AbandonedSend.isReceive(comm, channel) || siblings.contains(where: { AbandonedSend.isReceive(comm, $0) }) { continue }
            guard let context = doneContext(comm), end == nil || end == context else { return false }
            end = context
        }
        guard let end, bindsOnce(end, body, ctx) else { return false }
        // Each sender is a literal started in the select's own statement list, with nothing but
        // declarations between it and the select, sends at most once, and checks `end` right before.
        let uniqueSenders = Dictionary(senders.map { ($0.go, $0) }, uniquingKeysWith: { a, _ in a }).values
        for sender in uniqueSenders {
            guard sender.callee == nil, AbandonedSend.sendsOncePerPath(sender),
                  let start = frame.list[..<frame.index].lastIndex(where: { if case .go(_, let p) = $0 { return p == sender.go }; return false }),
                  !frame.list[(start + 1)..<frame.index].contains(where: waits),
                  case .go(let call, _) = frame.list[start], case .funcLit(let type, _) = call.fun.unparenthesized,
                  !type.params.contains(where: { $0.names.contains { $0.name == end } }),
                  LostCancel.bindingCount(sender.body, end) == 0,
                  guarded(channel, sender.body, context: end) else { return false }
        }
        return !uniqueSenders.isEmpty
    }

    /// Whether `name` is the function's parameter never bound again, or a local bound once.
    static func bindsOnce(_ name: String, _ body: [Stmt], _ ctx: CheckContext) -> Bool {
        let isParameter = ctx.unit.type.params.contains { $0.names.contains { $0.name == name } }
        return LostCancel.bindingCount(body, name) == (isParameter ? 0 : 1)
    }

    /// `x` of a select case `<-x.Done()` (or `v, ok := <-x.Done()`), `x` a plain name.
    static func doneContext(_ comm: Stmt?) -> String? {
        guard let channel = Lint.receivedChannel(comm), let call = Lint.call(channel), call.args.isEmpty,
              case .selector(let base, let method) = call.fun.unparenthesized, method.name == "Done" else { return nil }
        return base.unparenthesized.identName
    }

    /// Whether every plain send on `channel` in `body` follows a guard on `context` with nothing
    /// that may wait between (`guardedAt`), and sends a value that needs no call or receive.
    static func guarded(_ channel: String, _ body: [Stmt], context: String) -> Bool {
        var sends = 0
        var allGuarded = true
        forEachStatement(body) { s, frames in
            guard allGuarded, case .send(let target, let value, _) = s, target.identName == channel else { return }
            sends += 1
            if mayWait(value) || !guardedAt(frames, context: context) { allGuarded = false }
        }
        return sends > 0 && allGuarded
    }

    /// Whether the statement at the innermost of `frames` follows a guard with nothing that may
    /// wait between: the nearest guard is looked for from the innermost frame outwards; every frame
    /// inside the guard's must be a branch or block whose statement (an `if`'s initialiser and
    /// condition) and earlier statements may not wait.
    static func guardedAt(_ frames: [Frame], context: String) -> Bool {
        for depth in stride(from: frames.count - 1, through: 0, by: -1) {
            let frame = frames[depth]
            let before = frame.list[..<frame.index]
            if let guardIndex = before.lastIndex(where: { isGuard($0, context: context) }) {
                return !frame.list[(guardIndex + 1)..<frame.index].contains(where: waitsOnTheWay)
            }
            guard frame.kind == .branch || frame.kind == .block, !before.contains(where: waitsOnTheWay),
                  depth > 0, !headerMayWait(frames[depth - 1].list[frames[depth - 1].index]) else { return false }
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
                  base.unparenthesized.identName == context, case .returnStmt? = i.body.statements.last else { return false }
            return true
        case .select(let clauses, _):
            return clauses.count == 2 && clauses.contains { $0.comm == nil }
                && clauses.contains { doneContext($0.comm) == context && { if case .returnStmt? = $0.body.last { return true }; return false }($0) }
        default:
            return false
        }
    }

    /// Whether the statement holding a nested frame may wait before entering it: an `if`'s or
    /// `switch`'s initialiser, condition or tag.
    static func headerMayWait(_ s: Stmt) -> Bool {
        switch s {
        case .ifStmt(let i): return i.initial.map(waits) == true || mayWait(i.condition)
        case .switchStmt(let initial, let tag, _, _): return initial.map(waits) == true || tag.map(mayWait) == true
        case .block: return false
        default: return true
        }
    }

    /// Whether `s`, a statement before the send, may wait on the way to it: an `if` with no else
    /// whose body ends in `return` (`if err != nil { errC <- err; return }`) waits only in its
    /// initialiser and condition, as the path that goes on to the send does not take its body.
    static func waitsOnTheWay(_ s: Stmt) -> Bool {
        if case .ifStmt(let i) = s, i.elseBranch == nil, case .returnStmt? = i.body.statements.last {
            return i.initial.map(waits) == true || mayWait(i.condition)
        }
        return waits(s)
    }

    /// Whether `s` may take time: a call, send, receive, select, loop or `go`, outside function
    /// literals; a declaration or assignment of plain values does not.
    static func waits(_ s: Stmt) -> Bool {
        var found = false
        Walk.statements(s, intoFuncLits: false, { st in
            switch st {
            case .send, .select, .forStmt, .rangeStmt, .go, .deferCall: found = true
            default: break
            }
            return !found
        }, { e in
            if mayWait(e) { found = true }
            return !found
        })
        return found
    }

    /// Whether the expression `e` calls or receives (a conversion counts as a call: harmless, and
    /// not worth telling apart).
    static func mayWait(_ e: Expr) -> Bool {
        Walk.contains(e, intoFuncLits: false) { x in
            if case .call = x { return true }
            if case .unary(.arrow, _, _) = x { return true }
            return false
        }
    }
}
