import LeakscopeGoSource

/// LS001's worker rules: a goroutine of the function that takes from the channel until it is
/// closed is the sender's receiver, whatever the function does after starting it.
extension AbandonedSend {
    /// Whether `go` starts a function literal that never sends on `name` and, at its top level
    /// with no return before it, has a loop that takes from `name` until it is closed: either
    /// `for v := range name` with no return, `break` or `goto` out of it (session 10), or a
    /// `for { … }` whose only ways out follow a comma-ok receive on a closed channel
    /// (`v, ok := <-name; if !ok { return }`, or the same as a select case; session 11). That
    /// goroutine takes every value until the channel is closed, so it (not this function) is the
    /// sender's receiver. A worker whose loop can stop early (returning on a failed `Send`, on
    /// `ctx.Done()`, or on `!ok || v < 0`) is not.
    static func drainsToClose(_ call: Call, _ name: String) -> Bool {
        guard case .funcLit(_, let b) = call.fun, plainSends(name, b.statements).isEmpty else { return false }
        for (index, s) in b.statements.enumerated() {
            if firstReturn(Array(b.statements[..<index])) != nil { return false }
            if rangesToClose(s, name) || loopsToClose(s, name) { return true }
        }
        return false
    }

    /// `for v := range name { … }` with no return, `break` or `goto` out of the loop.
    static func rangesToClose(_ s: Stmt, _ name: String) -> Bool {
        guard case .rangeStmt(_, _, _, let collection, let loop, _) = s, collection.identName == name,
              loopExit(loop.statements) == nil else { return false }
        var leaves = false
        forEachStatement(loop.statements) { inner, _ in
            if case .branch(let kind, let label, _) = inner, kind == .kwGoto || (kind == .kwBreak && label != nil) { leaves = true }
        }
        return !leaves
    }

    /// `for { … }` (no condition, labelled or not) that receives `v, ok := <-name` (a statement,
    /// or a select case) and whose every way out — a return, a `break` of this loop, any labelled
    /// `break` or `goto` — lies in the `if !ok { … }` that directly follows such a receive: the
    /// loop ends only once the channel is closed. Function literals inside are not followed.
    static func loopsToClose(_ s: Stmt, _ name: String) -> Bool {
        var loop = s
        if case .labeled(_, let inner) = s { loop = inner }
        guard case .forStmt(_, nil, _, let body, _) = loop else { return false }
        var receives = false
        var leaves = false
        // `nested`: inside a loop, switch or select of the body, where a plain `break` stays.
        func walk(_ list: [Stmt], nested: Bool) {
            for (index, statement) in list.enumerated() {
                if index > 0, let ok = commaOkReceive(list[index - 1], name), let arm = closedArm(statement, ok) {
                    receives = true
                    if let rest = arm.elseBranch { visit(rest, nested: nested) }
                } else {
                    visit(statement, nested: nested)
                }
            }
        }
        func visit(_ statement: Stmt, nested: Bool) {
            switch statement {
            case .returnStmt:
                leaves = true
            case .branch(let kind, let label, _):
                if kind == .kwGoto || (kind == .kwBreak && (label != nil || !nested)) { leaves = true }
            case .labeled(_, let inner):
                visit(inner, nested: nested)
            case .block(let b):
                walk(b.statements, nested: nested)
            case .ifStmt(let i):
                walk(i.body.statements, nested: nested)
                if let e = i.elseBranch { visit(e, nested: nested) }
            case .switchStmt(_, _, let clauses, _), .typeSwitch(_, _, let clauses, _):
                for c in clauses { walk(c.body, nested: true) }
            case .select(let clauses, _):
                for c in clauses {
                    // `case v, ok := <-name:` whose body opens with `if !ok { … }`.
                    if let ok = commaOkReceive(c.comm, name), let first = c.body.first, let arm = closedArm(first, ok) {
                        receives = true
                        if let rest = arm.elseBranch { visit(rest, nested: true) }
                        walk(Array(c.body.dropFirst()), nested: true)
                    } else {
                        walk(c.body, nested: true)
                    }
                }
            case .forStmt(_, _, _, let b, _), .rangeStmt(_, _, _, _, let b, _):
                walk(b.statements, nested: true)
            default:
                break
            }
        }
        walk(body.statements, nested: false)
        return receives && !leaves
    }

    /// The `ok` of `v, ok := <-name` or `v, ok = <-name` (not `_`).
    static func commaOkReceive(_ s: Stmt?, _ name: String) -> String? {
        commaOkReceive(s) { $0.identName == name }
    }

    /// The `ok` of `v, ok := <-c` or `v, ok = <-c` (not `_`) for a channel expression `c` that
    /// `channel` accepts (`t.C` of a ticker, `TickerCheck.receivesForever`).
    static func commaOkReceive(_ s: Stmt?, where channel: (Expr) -> Bool) -> String? {
        guard case .assign(let lhs, let op, let rhs, _)? = s, op == .define || op == .assign, lhs.count == 2, rhs.count == 1,
              case .unary(.arrow, let received, _) = rhs[0].unparenthesized, channel(received),
              let ok = lhs[1].identName, ok != "_" else { return nil }
        return ok
    }

    /// `if !ok { … }` (no init statement): inside it the channel has been closed.
    static func closedArm(_ s: Stmt, _ ok: String) -> IfStmt? {
        guard case .ifStmt(let i) = s, i.initial == nil,
              case .unary(.not, let operand, _) = i.condition.unparenthesized, operand.unparenthesized.identName == ok else { return nil }
        return i
    }

    /// Whether `go` starts a function literal that never sends on `name` and, at its top level
    /// with no return before it, runs `for { select { … } }` with a case receiving from `name`
    /// and no way out of the loop (return, `goto`, labelled `break`) outside such cases (session
    /// 12: argo-cd's ticker goroutine, `case <-tickerDone: return`). It takes a value from `name`
    /// before it can end, so a sender that sends at most once (`sendsAtMostOnce`) is not abandoned.
    static func waitsForReceive(_ call: Call, _ name: String) -> Bool {
        guard case .funcLit(_, let b) = call.fun, plainSends(name, b.statements).isEmpty else { return false }
        for (index, s) in b.statements.enumerated() {
            if firstReturn(Array(b.statements[..<index])) != nil { return false }
            var loop = s
            if case .labeled(_, let inner) = s { loop = inner }
            guard case .forStmt(_, nil, _, let body, _) = loop, body.statements.count == 1,
                  case .select(let clauses, _) = body.statements[0], clauses.contains(where: { isReceive($0.comm, name) })
            else { continue }
            // Inside a select case a plain `break` leaves only the select; a return, a `goto`, a
            // labelled break, or a call that never returns (panic, t.Fatal) ends the wait.
            var leaves = false
            for clause in clauses where !isReceive(clause.comm, name) {
                forEachStatement(clause.body) { inner, _ in
                    switch inner {
                    case .returnStmt: leaves = true
                    case .branch(let kind, let label, _) where kind == .kwGoto || (kind == .kwBreak && label != nil): leaves = true
                    case .expr(.call(let c)) where Lint.neverReturns(c): leaves = true
                    default: break
                    }
                }
            }
            return !leaves
        }
        return false
    }

    /// Whether a select case's body, before any return, starts a goroutine whose literal first
    /// receives from `name` (`go func() { <-done }()`), in a function with one send statement on
    /// `name` (literals included) that cannot repeat: that goroutine takes the send the case gives
    /// up on (nightingale's `CmdWait` kills the timed-out process and leaves `cmd.Wait`'s answer
    /// to such a drain).
    static func drainsInBackground(_ clauseBody: [Stmt], _ name: String, function body: [Stmt]) -> Bool {
        for s in clauseBody {
            if case .go(let call, _) = s, case .funcLit(_, let literal) = call.fun.unparenthesized,
               receivesFirst(literal.statements, name) {
                var sends = 0
                for statement in body {
                    Walk.statements(statement, intoFuncLits: true, { t in
                        if case .send(let channel, _, _) = t, channel.identName == name { sends += 1 }
                        return true
                    }, { _ in true })
                }
                return (sends == 1 || oneGoroutineSendsOnce(name, body, sends: sends)) && sendsAtMostOnce(name, body)
            }
            if firstReturn([s]) != nil { return false }
        }
        return false
    }

    /// Whether all `sends` send statements on `name` in `body` lie in one `go func() { … }()`
    /// literal, outside literals nested in it, and at most one of them can run: each but the
    /// last in source order sits in a nested block and is followed at once by a return, the last
    /// is a statement of the literal's own, and the literal has no labels or `goto` (bfe's
    /// `getConn` dialer: an error's send and return under a condition, then the result's send).
    static func oneGoroutineSendsOnce(_ name: String, _ body: [Stmt], sends: Int) -> Bool {
        var found = false
        for statement in body where !found {
            Walk.statements(statement, intoFuncLits: true, { st in
                guard !found, case .go(let call, _) = st, case .funcLit(_, let literal) = call.fun.unparenthesized,
                      plainSends(name, literal.statements).count == sends else { return !found }
                var places: [(pos: Int32, topLevel: Bool, returnsNext: Bool)] = []
                var jumps = false
                forEachStatement(literal.statements) { s, frames in
                    switch s {
                    case .labeled, .branch(.kwGoto, _, _): jumps = true
                    case .send(let channel, _, let pos) where channel.identName == name:
                        guard let frame = frames.last else { return }
                        var returnsNext = false
                        if case .returnStmt? = frame.next { returnsNext = true }
                        places.append((pos, frames.count == 1, returnsNext))
                    default: break
                    }
                }
                places.sort { $0.pos < $1.pos }
                guard !jumps, let last = places.last, last.topLevel else { return false }
                found = places.dropLast().allSatisfy { !$0.topLevel && $0.returnsNext }
                return false
            }, { _ in !found })
        }
        return found
    }

    /// Whether no send on `name` in `body` (function literals included) can repeat: none sits in
    /// a loop unless a return follows it in its statement list (`returnsAfter`), no literal
    /// sending on it starts in a loop, and no declared function is started with it.
    static func sendsAtMostOnce(_ name: String, _ body: [Stmt]) -> Bool {
        var repeated = false
        func scan(_ list: [Stmt]) {
            forEachStatement(list) { s, frames in
                // A function started with the channel (`go f(ch)`, `go s.produce(ch)`) may send on
                // it in a loop of its own: its body is not looked at here, so it may repeat.
                if case .go(let call, _) = s, call.args.contains(where: { $0.identName == name }) { repeated = true }
                guard frames.contains(where: { $0.kind == .loop }) else { return }
                // A send followed in its own statement list by a return, with no `continue`,
                // `break` or `goto` on the way, leaves the loop: it happens once.
                if case .send(let channel, _, _) = s, channel.identName == name, !returnsAfter(frames) { repeated = true }
                // A literal sending on it started in a loop (`for … { go func() { ch <- v }() }`),
                // unless that loop's body makes the channel anew each turn (packetfence's retried
                // bind): each turn's goroutine then has a channel of its own.
                let loop = frames.last(where: { $0.kind == .loop })
                if case .go(let call, _) = s, !declaresChannel(name, in: loop.map { Array($0.list[..<$0.index]) } ?? []),
                   Walk.contains(.call(call), where: { x in
                    if case .funcLit(_, let inner) = x { return !plainSends(name, inner.statements).isEmpty }
                    return false
                }) { repeated = true }
            }
        }
        scan(body)
        for s in body {
            Walk.statements(s, intoFuncLits: true, { _ in true }, { x in
                if case .funcLit(_, let inner) = x { scan(inner.statements) }
                return true
            })
        }
        return !repeated
    }

    /// Whether `statements` declare `name` at their top (`name := …`, `var name …`): those before
    /// the `go` statement in its loop's body, so that the literal captures that turn's channel.
    static func declaresChannel(_ name: String, in statements: [Stmt]) -> Bool {
        statements.contains { s in
            switch s {
            case .assign(let lhs, .define, _, _): return lhs.contains { $0.identName == name }
            case .decl(let d): return d.specs.contains { if case .value(let names, _, _) = $0 { return names.contains { $0.name == name } } else { return false } }
            default: return false
            }
        }
    }
}
