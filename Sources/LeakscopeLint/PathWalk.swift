import LeakscopeGoSource

/// Where a statement sits: the statement lists that enclose it, innermost last, with what
/// happens when control falls off the end of each list.
struct Frame {
    enum Kind { case body, block, branch, loop, clause }
    var list: [Stmt]
    var index: Int
    var kind: Kind
    /// The loop statement, for `.loop` frames.
    var owner: Stmt? = nil

    /// The statement after the current one in its list; nil at the end of the list.
    var next: Stmt? { index + 1 < list.count ? list[index + 1] : nil }
}

/// Whether the statements after the current one in its list reach a `return` with no send and
/// no `break`, `continue` or `goto` on the way (`errCh <- err; close(errCh); return`).
func returnsAfter(_ frames: [Frame]) -> Bool {
    guard let frame = frames.last else { return false }
    for next in frame.list.dropFirst(frame.index + 1) {
        if case .returnStmt = next { return true }
        var blocks = false
        Walk.statements(next, intoFuncLits: false, { st in
            switch st {
            case .send, .branch: blocks = true
            default: break
            }
            return !blocks
        }, { _ in true })
        if blocks { return false }
    }
    return false
}

/// Visits every statement of a function body (not inside function literals) with its frames.
func forEachStatement(_ body: [Stmt], _ visit: (Stmt, [Frame]) -> Void) {
    var frames: [Frame] = []
    func list(_ statements: [Stmt], _ kind: Frame.Kind, owner: Stmt? = nil) {
        frames.append(Frame(list: statements, index: 0, kind: kind, owner: owner))
        for (index, s) in statements.enumerated() {
            frames[frames.count - 1].index = index
            visit(s, frames)
            nested(s)
        }
        frames.removeLast()
    }
    func nested(_ s: Stmt) {
        switch s {
        case .labeled(_, let inner):
            // The labelled statement stands in the same list.
            nested(inner)
        case .block(let b): list(b.statements, .block)
        case .ifStmt(let i):
            list(i.body.statements, .branch)
            if let e = i.elseBranch {
                if case .block(let b) = e { list(b.statements, .branch) } else { list([e], .branch) }
            }
        case .switchStmt(_, _, let clauses, _), .typeSwitch(_, _, let clauses, _):
            for c in clauses { list(c.body, .clause) }
        case .select(let clauses, _):
            for c in clauses { list(c.body, .clause) }
        case .forStmt(_, _, _, let body, _), .rangeStmt(_, _, _, _, let body, _):
            list(body.statements, .loop, owner: s)
        default: break
        }
    }
    list(body, .body)
}

/// Path-sensitive "is the resource still held when the function returns?" over the syntax tree:
/// if/else, switch and select arms, loops (zero or more iterations), break, continue, defer,
/// and calls that never return. Goto ends the analysis of a path without a report.
struct HeldWalker {
    /// Whether a simple statement releases the resource.
    var releases: (Stmt) -> Bool
    /// Whether a deferred call releases it.
    var deferReleases: (Call) -> Bool
    /// Whether a condition or init expression releases it (LS003 counts any mention).
    var exprReleases: (Expr) -> Bool
    /// Whether a compound statement releases the resource on every path through it, whatever
    /// its parts say (LS006's `if !unlocked { mu.Unlock() }`).
    var settles: (Stmt) -> Bool = { _ in false }
    /// Return statements reached while the resource may be held.
    var leakingReturns: [Int32] = []
    /// Whether the end of the function is reached while held.
    var fallsOffHeld = false

    struct Outcome {
        var fall: Bool?
        var brk: Bool?
        static let terminated = Outcome(fall: nil, brk: nil)
    }

    static func or(_ a: Bool?, _ b: Bool?) -> Bool? {
        guard let a else { return b }
        guard let b else { return a }
        return a || b
    }

    /// Walks from just after the statement at `frames.last` to every return.
    mutating func run(from frames: [Frame]) {
        var carryBreak = false
        for frame in frames.reversed() {
            let outcome = walkList(frame.list, from: frame.index + 1, held: true, initialBreak: carryBreak)
            carryBreak = false
            switch frame.kind {
            case .body:
                if outcome.fall == true { fallsOffHeld = true }
                return
            case .loop:
                // Falling off the body loops back; only a break leaves the loop.
                if outcome.brk != true { return }
            case .clause:
                if outcome.fall != true && outcome.brk != true { return }
            case .block, .branch:
                if outcome.brk == true { carryBreak = true }
                if outcome.fall != true && outcome.brk != true { return }
            }
        }
    }

    mutating func walkList(_ list: [Stmt], from start: Int, held: Bool, initialBreak: Bool = false) -> Outcome {
        var state = held
        var brk: Bool? = initialBreak ? true : nil
        var index = start
        while index < list.count {
            if !state { return Outcome(fall: false, brk: brk) }
            let o = walk(list[index], held: state)
            brk = Self.or(brk, o.brk)
            guard let f = o.fall else { return Outcome(fall: nil, brk: brk) }
            state = f
            index += 1
        }
        return Outcome(fall: state, brk: brk)
    }

    mutating func walk(_ s: Stmt, held: Bool) -> Outcome {
        if held && settles(s) { return Outcome(fall: false, brk: nil) }
        switch s {
        case .returnStmt(_, let pos):
            // `return ctx, cancel` hands the resource to the caller.
            if held && !releases(s) { leakingReturns.append(pos) }
            return .terminated
        case .branch(let keyword, let label, _):
            if keyword == .kwBreak && label == nil { return Outcome(fall: nil, brk: held) }
            return .terminated
        case .deferCall(let call, _):
            return Outcome(fall: deferReleases(call) ? false : held, brk: nil)
        case .expr(.call(let call)) where Lint.neverReturns(call):
            if releases(s) { return Outcome(fall: false, brk: nil) }
            return .terminated
        case .block(let b):
            return walkList(b.statements, from: 0, held: held)
        case .labeled(_, let inner):
            return walk(inner, held: held)
        case .ifStmt(let i):
            var h = held
            if let initial = i.initial, releases(initial) { h = false }
            if exprReleases(i.condition) { h = false }
            let then = walkList(i.body.statements, from: 0, held: h)
            let other = i.elseBranch.map { walk($0, held: h) } ?? Outcome(fall: h, brk: nil)
            return Outcome(fall: Self.or(then.fall, other.fall), brk: Self.or(then.brk, other.brk))
        case .switchStmt(let initial, let tag, let clauses, _):
            var h = held
            if let initial, releases(initial) { h = false }
            if let tag, exprReleases(tag) { h = false }
            return walkClauses(clauses.map(\.body), hasDefault: clauses.contains { $0.isDefault }, held: h)
        case .typeSwitch(let initial, let assign, let clauses, _):
            var h = held
            if let initial, releases(initial) { h = false }
            if releases(assign) { h = false }
            return walkClauses(clauses.map(\.body), hasDefault: clauses.contains { $0.isDefault }, held: h)
        case .select(let clauses, _):
            var fall: Bool?
            for clause in clauses {
                var h = held
                if let comm = clause.comm, releases(comm) { h = false }
                let o = walkList(clause.body, from: 0, held: h)
                fall = Self.or(fall, Self.or(o.fall, o.brk))
            }
            return Outcome(fall: fall, brk: nil)
        case .forStmt(let initial, let condition, let post, let body, _):
            var h = held
            if let initial, releases(initial) { h = false }
            if let condition, exprReleases(condition) { h = false }
            if let post, releases(post) { h = false }
            let o = walkList(body.statements, from: 0, held: h)
            if condition == nil { return Outcome(fall: o.brk, brk: nil) }
            return Outcome(fall: Self.or(h, o.brk), brk: nil)
        case .rangeStmt(_, _, _, let collection, let body, _):
            var h = held
            if exprReleases(collection) { h = false }
            let o = walkList(body.statements, from: 0, held: h)
            return Outcome(fall: Self.or(h, o.brk), brk: nil)
        default:
            return Outcome(fall: releases(s) ? false : held, brk: nil)
        }
    }

    mutating func walkClauses(_ bodies: [[Stmt]], hasDefault: Bool, held: Bool) -> Outcome {
        var fall: Bool? = hasDefault ? nil : held
        for body in bodies {
            let o = walkList(body, from: 0, held: held)
            fall = Self.or(fall, Self.or(o.fall, o.brk))
        }
        return Outcome(fall: fall, brk: nil)
    }
}
