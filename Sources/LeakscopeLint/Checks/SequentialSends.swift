import LeakscopeGoSource

/// A goroutine that sends on two unbuffered channels in turn, to a function that receives both
/// in one statement, is stranded once: at the first send. acceleration-service's `PackTargzInfo`
/// starts `go func() { …; chanSize <- size; chanErr <- err }()` and ends in `return hash,
/// <-chanSize, <-chanErr`; an early return leaves the goroutine blocked on `chanSize`, and it
/// never reaches `chanErr` (session 38's clean pass reported both sends). The first send's
/// finding names the leak; the second is not reported.
extension AbandonedSend {
    /// Whether `send`, on `name`, is a top-level statement of a literal sender's body that comes
    /// after a top-level plain send on another channel the function makes unbuffered and names
    /// nowhere else but in that make, that send and one receive; and the function's first
    /// statement after the `go` to receive from either channel is a `return` two of whose
    /// results are those receives, `<-other` and `<-name` as they stand (not inside `&&`, a call
    /// or a select, which may skip one), its other results names, fields or literals (no call
    /// that may panic between), with `name` too made once and named only there, in its one
    /// send and in that `return`: whenever the function leaves before that statement, the
    /// goroutine waits at the earlier send, and once it runs it takes both values. A select, an
    /// `if` or a loop receiving one of them may leave without the other (session 38's review).
    static func waitsBehindEarlierSend(_ sender: Sender, send: Int32, _ name: String, function: [Stmt]) -> Bool {
        guard sender.callee == nil, let index = sender.body.firstIndex(where: { s in
            if case .send(_, _, let p) = s { return p == send }
            return false
        }) else { return false }
        let earlier = sender.body[..<index].compactMap { s -> String? in
            guard case .send(let channel, _, _) = s, let other = channel.identName, other != name else { return nil }
            return other
        }
        guard !earlier.isEmpty else { return false }
        // `name` is made once and named only there, in its one send and in the one receive.
        guard plainSends(name, sender.body).count == 1, madeUnbufferedOnce(name, function), mentions(name, in: function) == 3 else { return false }
        // Nothing else in the `return` can stop it between the two receives: names, fields and
        // literals only, no call that may panic (a handler's panic that net/http recovers).
        func isPlain(_ e: Expr) -> Bool {
            switch e.unparenthesized {
            case .ident, .basicLit: return true
            case .selector(let base, _): return isPlain(base)
            case .unary(.arrow, let operand, _): return operand.identName != nil
            default: return false
            }
        }
        func isReceive(_ e: Expr, _ channel: String) -> Bool {
            if case .unary(.arrow, let operand, _) = e.unparenthesized { return operand.identName == channel }
            return false
        }
        var behind = false
        forEachStatement(function) { s, frames in
            guard !behind, case .go(_, let pos) = s, pos == sender.go, let frame = frames.last else { return }
            for other in Set(earlier) where madeUnbufferedOnce(other, function) && mentions(other, in: function) == 3 {
                let later = frame.list[(frame.index + 1)...]
                guard let first = later.first(where: { receivesFrom($0, other) || receivesFrom($0, name) }),
                      case .returnStmt(let results, _) = first else { continue }
                if results.contains(where: { isReceive($0, other) }) && results.contains(where: { isReceive($0, name) })
                    && results.allSatisfy(isPlain) { behind = true }
            }
        }
        return behind
    }

    /// Whether `function` declares `name` once, as `name := make(chan T)` at any depth.
    static func madeUnbufferedOnce(_ name: String, _ function: [Stmt]) -> Bool {
        var made = 0
        var other = false
        forEachStatement(function) { s, _ in
            guard case .assign(let lhs, let op, let rhs, _) = s, lhs.contains(where: { $0.identName == name }) else { return }
            if op == .define, lhs.count == 1, rhs.count == 1, isUnbufferedMake(rhs[0]) { made += 1 } else { other = true }
        }
        return made == 1 && !other
    }

    /// How many times the identifier `name` occurs in `function`, function literals included.
    static func mentions(_ name: String, in function: [Stmt]) -> Int {
        var count = 0
        for s in function {
            Walk.stmt(s, intoFuncLits: true) { e in
                if e.identName == name { count += 1 }
                return true
            }
        }
        return count
    }
}
