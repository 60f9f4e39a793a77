import LeakscopeGoSource

/// LS001: `ch := make(chan T)` (unbuffered), a goroutine of this function that sends on `ch`
/// outside any select, and a receiver that can stop waiting first: it receives only in a select
/// whose other case returns, or it returns between the `go` statement and its receive.
enum AbandonedSend {
    static func run(_ context: inout CheckContext) {
        let ctx = context
        let body = ctx.unit.body.statements
        forEachStatement(body) { s, _ in
            guard case .assign(let lhs, .define, let rhs, _) = s, lhs.count == 1, rhs.count == 1,
                  case .ident(let ch) = lhs[0], let make = Lint.call(rhs[0]), make.fun.identName == "make",
                  let type = make.args.first, case .chanType = type,
                  make.args.count == 1 || Lint.literalText(make.args[1]) == "0" else { return }
            check(ch.name, body, &context)
        }
    }

    static func check(_ name: String, _ body: [Stmt], _ context: inout CheckContext) {
        // Goroutines that send on the channel with a plain send.
        var sends: [(go: Int32, send: Int32)] = []
        var plainReceives: [Int32] = []
        var selectReceives: [(select: Stmt, returningOther: Int32?)] = []
        var escapes = false
        // Channels a sender also sends on (`errCh` beside `metaCh`) when it sends once, outside
        // loops: it then sends on exactly one of them, a select over both takes that send, and a
        // select case on a sibling is not a way out for the receiver. (A sender that loops sends
        // again after the receiver took one value and left.)
        var siblings = Set<String>()
        forEachStatement(body) { s, _ in
            guard case .go(let call, _) = s, case .funcLit(_, let b) = call.fun, !plainSends(name, b.statements).isEmpty else { return }
            var channels = Set<String>()
            var loops = false
            forEachStatement(b.statements) { inner, frames in
                guard case .send(let channel, _, _) = inner, let other = channel.identName else { return }
                channels.insert(other)
                if frames.contains(where: { $0.kind == .loop }) { loops = true }
            }
            if !loops { siblings.formUnion(channels) }
        }
        // Handed to the call in a `range` header: the callee receives, and feeds the loop.
        var handoffs: [(call: Expr, exit: Int32?)] = []
        forEachStatement(body) { s, frames in
            if case .rangeStmt(_, _, _, let collection, let loop, _) = s, let c = Lint.call(collection),
               c.args.contains(where: { $0.identName == name }) {
                handoffs.append((c.fun, loopExit(loop.statements)))
            }
            switch s {
            case .go(let call, let pos):
                if case .funcLit(_, let b) = call.fun {
                    for send in plainSends(name, b.statements) { sends.append((pos, send)) }
                } else if call.args.contains(where: { $0.identName == name }) {
                    escapes = true
                }
            case .select(let clauses, _):
                let receiving = clauses.contains { isReceive($0.comm, name) }
                guard receiving else { break }
                var other: Int32?
                for clause in clauses where clause.comm != nil && !isReceive(clause.comm, name)
                    && !siblings.contains(where: { isReceive(clause.comm, $0) }) {
                    if let r = firstReturn(clause.body) { other = r }
                }
                selectReceives.append((s, other))
            default:
                for x in TimerInLoop.ownExpressions(s) {
                    Walk.expr(x, intoFuncLits: false) { e in
                        // A deferred or returned closure that uses the channel may receive later.
                        if case .funcLit = e, Lint.mentions(e, name) { escapes = true }
                        if case .unary(.arrow, let operand, let pos) = e, operand.identName == name { plainReceives.append(pos) }
                        if case .call(let c) = e, !["len", "cap", "close"].contains(c.fun.identName ?? ""),
                           c.args.contains(where: { $0.identName == name }) { escapes = true }
                        return true
                    }
                }
                if case .rangeStmt(_, _, _, let collection, _, let pos) = s, collection.identName == name { plainReceives.append(pos) }
                if case .returnStmt(let results, _) = s, results.contains(where: { $0.identName == name }) { escapes = true }
                if case .assign(_, _, let rhs, _) = s, rhs.contains(where: { $0.identName == name }) { escapes = true }
                // Sent to another goroutine (`w.output <- ch`): that one receives, later.
                if case .send(_, let value, _) = s, value.unparenthesized.identName == name { escapes = true }
            }
        }
        guard !escapes, let sender = sends.first else { return }
        // The receiver is the callee of a range header: it takes from the channel only while the
        // loop takes its results. A loop that can stop early (return, break) stops the callee at
        // its next result send, and the sender then blocks on `name`.
        if !handoffs.isEmpty {
            guard let handoff = handoffs.first(where: { $0.exit != nil }), let exit = handoff.exit else { return }
            let callee = Lint.text(handoff.call) ?? "the callee"
            let line = context.file.position(of: exit).line
            context.report(Checks.abandonedSend, at: sender.send,
                           "goroutine sends on unbuffered channel \(name), whose receiver \(callee) feeds a range loop that can stop on line \(line): \(callee) then stops receiving and this send blocks forever",
                           related: [exit], relatedText: "the loop over \(callee)'s results stops here")
            return
        }
        // A select that can take another, returning, case first.
        if plainReceives.isEmpty, let abandoned = selectReceives.first(where: { $0.returningOther != nil }) {
            let line = context.file.position(of: abandoned.returningOther!).line
            context.report(Checks.abandonedSend, at: sender.send,
                           "goroutine sends on unbuffered channel \(name), but the receiver may return on line \(line) without receiving: this send then blocks forever",
                           related: [abandoned.returningOther!], relatedText: "returns without receiving from \(name)")
            return
        }
        // An early return between the go statement and the receive.
        forEachStatement(body) { s, frames in
            guard case .go(_, let pos) = s, pos == sender.go, let frame = frames.last else { return }
            for later in frame.list[(frame.index + 1)...] {
                let receivesHere = Walk.contains(later, intoFuncLits: false) { e in
                    if case .unary(.arrow, let operand, _) = e, operand.identName == name { return true }
                    return false
                } || isRangeOver(later, name) || {
                    if case .select(let clauses, _) = later { return clauses.contains { isReceive($0.comm, name) } }
                    return false
                }()
                if receivesHere { return }
                if let r = firstReturn([later]) {
                    let line = context.file.position(of: r).line
                    context.report(Checks.abandonedSend, at: sender.send,
                                   "goroutine sends on unbuffered channel \(name), but the function can return on line \(line) before receiving: this send then blocks forever",
                                   related: [r], relatedText: "returns before receiving from \(name)")
                    return
                }
            }
        }
    }

    /// The first statement that leaves a loop body early: a return, or a `break` of this loop
    /// (not of a nested loop, switch or select); function literals not included.
    static func loopExit(_ statements: [Stmt]) -> Int32? {
        var found: Int32?
        forEachStatement(statements) { s, frames in
            guard found == nil else { return }
            if case .returnStmt(_, let pos) = s { found = pos }
            if case .branch(.kwBreak, let label, let pos) = s, label == nil,
               !frames.contains(where: { $0.kind == .loop || $0.kind == .clause }) {
                found = pos
            }
        }
        return found
    }

    static func isRangeOver(_ s: Stmt, _ name: String) -> Bool {
        if case .rangeStmt(_, _, _, let c, _, _) = s { return c.identName == name }
        return false
    }

    static func isReceive(_ comm: Stmt?, _ name: String) -> Bool {
        switch comm {
        case .expr(.unary(.arrow, let x, _))?: return x.identName == name
        case .assign(_, _, let rhs, _)?:
            if rhs.count == 1, case .unary(.arrow, let x, _) = rhs[0] { return x.identName == name }
            return false
        default: return false
        }
    }

    /// Plain sends `name <- v` in a goroutine body (not select cases, not nested function literals).
    static func plainSends(_ name: String, _ body: [Stmt]) -> [Int32] {
        var found: [Int32] = []
        forEachStatement(body) { s, _ in
            if case .send(let channel, _, let pos) = s, channel.identName == name { found.append(pos) }
        }
        return found
    }

    /// The first return statement in `statements` (nested blocks included, function literals not).
    static func firstReturn(_ statements: [Stmt]) -> Int32? {
        var found: Int32?
        forEachStatement(statements) { s, _ in
            if found == nil, case .returnStmt(_, let pos) = s { found = pos }
        }
        return found
    }
}
