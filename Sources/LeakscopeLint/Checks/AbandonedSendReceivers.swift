import LeakscopeGoSource

/// The shapes of a goroutine that receives what another sends: how long it keeps receiving
/// (LS001 asks whether the sender can be left with nobody to take its value).
extension AbandonedSend {
    /// Whether a receiving goroutine's body is, at its top, an endless `for { … }` (no condition)
    /// that receives from `name` and has no `return`, `break` or `goto` anywhere in it (function
    /// literals not included): it takes every value for as long as the process runs.
    static func receivesForever(_ statements: [Stmt], _ name: String) -> Bool {
        statements.contains { s in
            guard case .forStmt(nil, nil, nil, let loop, _) = s else { return false }
            let receives = loop.statements.contains { inner in
                receivesFrom(inner, name)
            }
            var exits = false
            forEachStatement(loop.statements) { inner, _ in
                if case .returnStmt = inner { exits = true }
                if case .branch(let kind, _, _) = inner, kind == .kwBreak || kind == .kwGoto { exits = true }
            }
            return receives && !exits
        }
    }

    /// Whether a receiving goroutine's first statement that mentions the channel is a plain
    /// receive at its top (`<-started`, `v := <-ch`) or a `range` over it, with no return before
    /// it: it takes one value before it can stop. A select there counts when each of its cases
    /// receives the channel, in its communication or first thing in its body (minimega's
    /// container watcher: the process's exit, or a kill that then drains the exit's channel).
    static func receivesFirst(_ statements: [Stmt], _ name: String) -> Bool {
        for s in statements {
            let receives = receivesFrom(s, name) || isRangeOver(s, name)
            switch s {
            case .expr, .assign, .decl, .rangeStmt: if receives { return true }
            // `if v := <-ch; …`: the init runs first, whatever the condition says.
            case .ifStmt(let i): if let initial = i.initial, receivesFrom(initial, name) { return true }
            case .select(let clauses, _):
                if clauses.allSatisfy({ isReceive($0.comm, name) || !leavesSelect($0.body) && receivesFirst($0.body, name) }) {
                    return true
                }
            default: break
            }
            if receives || firstReturn([s]) != nil { return false }
        }
        return false
    }

    /// Whether a select case's body can leave before its end: a return, a `break` of the select
    /// or a `continue` of an enclosing loop, a labelled branch or a `goto` (function literals not
    /// included).
    static func leavesSelect(_ statements: [Stmt]) -> Bool {
        var leaves = false
        forEachStatement(statements) { s, frames in
            switch s {
            case .returnStmt, .labeled, .branch(.kwGoto, _, _): leaves = true
            case .branch(_, .some, _): leaves = true
            case .branch(.kwBreak, nil, _): if !frames.contains(where: { $0.kind == .loop || $0.kind == .clause }) { leaves = true }
            case .branch(.kwContinue, nil, _): if !frames.contains(where: { $0.kind == .loop }) { leaves = true }
            default: break
            }
        }
        return leaves
    }

    /// Whether a receiving goroutine's body is, at its top, an endless `for { … }` (no condition,
    /// no return before it) whose every way out — a `return`, a `break` of it, a label or `goto` —
    /// lies in a select case that receives from `name`: it stops only after taking a value
    /// (packetfence's dynamic reverse tunnel: a watcher that reports a slow bind on a timer and
    /// leaves when the bind's answer comes).
    static func loopsUntilReceived(_ statements: [Stmt], _ name: String) -> Bool {
        for s in statements {
            if case .forStmt(nil, nil, nil, let loop, _) = s {
                return receivesFrom(s, name) && onlyLeavesAfterReceiving(loop.statements, name, nested: false)
            }
            if firstReturn([s]) != nil || Lint.jumps([s]) { return false }
        }
        return false
    }

    /// Whether every way out of the loop whose body holds `statements` lies in a select case
    /// receiving from `name`; `nested` when a switch, select or inner loop encloses them, so that
    /// an unlabelled `break` (or, in an inner loop, `continue`) stays inside.
    private static func onlyLeavesAfterReceiving(_ statements: [Stmt], _ name: String, nested: Bool) -> Bool {
        statements.allSatisfy { s in
            switch s {
            case .returnStmt, .labeled, .branch(.kwGoto, _, _), .branch(_, .some, _): return false
            case .branch(.kwBreak, nil, _): return nested
            case .block(let b): return onlyLeavesAfterReceiving(b.statements, name, nested: nested)
            case .ifStmt(let i):
                let elseOK = i.elseBranch.map { onlyLeavesAfterReceiving([$0], name, nested: nested) } ?? true
                return elseOK && onlyLeavesAfterReceiving(i.body.statements, name, nested: nested)
            case .switchStmt(_, _, let clauses, _), .typeSwitch(_, _, let clauses, _):
                return clauses.allSatisfy { onlyLeavesAfterReceiving($0.body, name, nested: true) }
            case .select(let clauses, _):
                return clauses.allSatisfy { isReceive($0.comm, name) || onlyLeavesAfterReceiving($0.body, name, nested: true) }
            case .forStmt(_, _, _, let b, _), .rangeStmt(_, _, _, _, let b, _):
                return onlyLeavesAfterReceiving(b.statements, name, nested: true)
            default: return true
            }
        }
    }
}
