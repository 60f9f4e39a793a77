import LeakscopeFormat
import LeakscopeGoSource

/// LS009: `time.Tick` inside a loop, or `time.After` as a case of a select (with other cases)
/// inside a loop.
enum TimerInLoop {
    /// A `time.After` shorter than this (a constant), or of a duration `ConstantDurations` cannot
    /// evaluate, in a select with no `default` is low confidence: each untaken timer is collected
    /// when it fires, so the loop holds at most its turns per this span. Every first-pass finding
    /// of the shape (10 ms to 1 s, and fields or variables holding short intervals) was judged
    /// false (docs/LINT.md); the minute-long timeout of a message loop is the leak the check is for.
    static let briefTimer: Int64 = 60_000_000_000

    static let testNote = "in a test: its loop turns a bounded number of times and the test ends, so the timers fire and are collected"

    static func run(_ ctx: CheckContext) {
        guard ctx.package.timersLeak else { return }
        forEachStatement(ctx.unit.body.statements) { s, frames in
            guard frames.contains(where: { $0.kind == .loop }) else { return }
            for x in ownExpressions(s) {
                Walk.expr(x, intoFuncLits: false) { e in
                    if case .call(let c) = e, ctx.calls(c, "time", ["Tick"]) {
                        ctx.report(Checks.timerInLoop, at: c.fun.pos, "time.Tick in a loop starts a new ticker on every iteration")
                    }
                    return true
                }
            }
            guard case .select(let clauses, _) = s,
                  clauses.filter({ $0.comm != nil }).count >= 2 else { return }
            for (index, clause) in clauses.enumerated() {
                guard case .expr(let x)? = clause.comm, case .unary(.arrow, let operand, _) = x,
                      let c = Lint.call(operand), ctx.calls(c, "time", ["After"]) else { continue }
                // Every other case (and `default`) leaves the loop: each pass either takes this
                // timer or ends, so at most one timer is ever pending.
                let others = clauses.indices.filter { $0 != index }
                let loop = frames.last(where: { $0.kind == .loop })?.owner
                if others.allSatisfy({ leavesTheLoop(clauses[$0].body) || endsByCondition(clauses[$0], loop: loop) }) { continue }
                // With a `default` case the loop spins and piles up timers however short they are.
                let spins = clauses.contains { $0.comm == nil }
                var note: String?
                if !spins {
                    if let held = c.args.first.flatMap({ ConstantDurations.nanoseconds($0, ctx) }) {
                        if held < briefTimer { note = "an untaken timer is held only until it fires, \(Numbers.duration(seconds: Double(held) / 1e9)) after its iteration" }
                    } else {
                        // A field, parameter or variable: every first-pass finding so far was a
                        // short interval (drone's queue, NATS streaming's heartbeat wait).
                        note = "the duration is not a constant: an untaken timer is held only until it fires, which for a short interval is little"
                    }
                }
                // A test's loop turns as often as its fixture makes it, and the test ends: every
                // finding of this shape in a test file so far was judged false (docs/LINT.md,
                // session 32: ravendb's subscription tests, 60 s per batch of a handful).
                if note == nil, RunsOnce.isTestFile(ctx.file) { note = testNote }
                ctx.report(Checks.timerInLoop, at: c.fun.pos,
                           "time.After in a select inside a loop allocates a new timer on every iteration", lowConfidence: note)
            }
        }
    }

    /// Whether a case body ends the enclosing loop for good: its last statement is a `return` or
    /// a call that never returns.
    static func leavesTheLoop(_ body: [Stmt]) -> Bool {
        switch body.last {
        case .returnStmt?: return true
        case .expr(.call(let c))?: return Lint.neverReturns(c)
        default: return false
        }
    }

    /// Whether a case is `<-ctx.Done()` and the loop around the select is `for ctx.Err() == nil`:
    /// once ctx is done the loop's next check ends it, so that case too ends the loop for good
    /// (oryx's version query retried every 3 minutes until its context ends; docs/LINT.md,
    /// session 29).
    static func endsByCondition(_ clause: CommClause, loop: Stmt?) -> Bool {
        guard case .forStmt(_, let condition?, _, let body, _)? = loop,
              case .expr(let x)? = clause.comm, case .unary(.arrow, let operand, _) = x,
              let done = Lint.call(operand), done.args.isEmpty,
              case .selector(let base, let method) = done.fun.unparenthesized, method.name == "Done",
              let name = base.unparenthesized.identName,
              case .binary(.eql, let left, let right, _) = condition.unparenthesized, right.identName == "nil",
              let err = Lint.call(left), err.args.isEmpty,
              case .selector(let errBase, let errMethod) = err.fun.unparenthesized, errMethod.name == "Err" else { return false }
        // Not a context of the same name made inside the loop (`ctx, cancel :=
        // context.WithTimeout(ctx, d)`), which ends every turn while the loop's goes on.
        return errBase.unparenthesized.identName == name && !Lint.declares(name, in: body.statements, intoFuncLits: false)
    }

    /// The expressions a statement evaluates itself (not those of nested statement lists).
    static func ownExpressions(_ s: Stmt) -> [Expr] {
        switch s {
        case .expr(let x): return [x]
        case .send(let a, let b, _): return [a, b]
        case .incDec(let x, _): return [x]
        case .assign(let lhs, _, let rhs, _): return lhs + rhs
        case .go(let c, _), .deferCall(let c, _): return [.call(c)]
        case .returnStmt(let results, _): return results
        case .ifStmt(let i): return [i.condition] + (i.initial.map(ownExpressions) ?? [])
        case .switchStmt(let initial, let tag, let clauses, _):
            return (initial.map(ownExpressions) ?? []) + (tag.map { [$0] } ?? []) + clauses.flatMap(\.values)
        case .select(let clauses, _): return clauses.compactMap(\.comm).flatMap(ownExpressions)
        case .decl(let d):
            return d.specs.flatMap { spec -> [Expr] in
                if case .value(_, _, let values) = spec { return values }
                return []
            }
        // A loop's condition runs before its body on every turn; its init and post statements
        // (`for v, ok := <-ch; …`) are not taken as the loop's own: the post runs only after a
        // turn, and the init only once, perhaps after a select that has already given up.
        case .forStmt(_, let condition?, _, _, _): return [condition]
        case .labeled(_, let inner): return ownExpressions(inner)
        default: return []
        }
    }
}
