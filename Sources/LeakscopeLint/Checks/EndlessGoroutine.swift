import LeakscopeGoSource

/// LS005: a `go` statement inside a loop whose goroutine (a function literal, or a function of
/// the package called directly) runs a `for { … }` it can never leave: no return, no break out
/// of it, no goto, no panic or exit.
enum EndlessGoroutine {
    static func run(_ ctx: CheckContext) {
        // Started by a function that never returns: the goroutines live as long as the process, by design.
        if Lint.blocksForever(ctx.unit.body.statements) { return }
        forEachStatement(ctx.unit.body.statements) { s, frames in
            // Per-item goroutines: the innermost loop ranges over a collection or channel with a
            // value variable. Counted loops (`for i := 0; i < n; i++`) start bounded worker pools.
            guard case .go(let call, let pos) = s, let loop = frames.last(where: { $0.kind == .loop }),
                  case .rangeStmt(_, let value, _, let collection, _, _)? = loop.owner, value != nil else { return }
            // In the function whose return ends the process, a range over a collection (not a
            // channel this function knows of) starts a fixed set of workers once: they end with it.
            if Lint.endsTheProcess(ctx), !ranges(overChannel: collection, ctx) { return }
            // `go …` then, as the next statement of the loop's own body, `return` (or a `break`
            // of a loop inside no other): the loop starts one goroutine and leaves (viper's
            // `watchKeyValueConfigOnChannel`).
            if let frame = frames.last, frame.kind == .loop, let next = frame.next {
                switch next {
                case .returnStmt: return
                case .branch(.kwBreak, nil, _) where frames.filter({ $0.kind == .loop }).count == 1: return
                default: break
                }
            }
            var body: [Stmt]?
            switch call.fun {
            case .funcLit(_, let b): body = b.statements
            case .ident(let f): body = ctx.package.functions[f.name]?.body?.statements
            default: break
            }
            guard let statements = body, let last = statements.last, isEndless(last) else { return }
            // Every return comes before the top-level statement that starts them, and the body
            // ends in an endless loop: once they run, the function never returns, and they live
            // as long as it, by design (calico's test workload serves each configured port, then
            // sleeps forever; its early returns are set-up errors). `low`, not silent: the
            // function itself may be started per connection.
            let outlivesNothing = frames.first.map { Lint.blocksForever(Array(ctx.unit.body.statements[$0.index...])) } ?? false
            // Statements before the loop could return early only on some paths; the loop, once
            // entered, never ends.
            ctx.report(Checks.endlessGoroutineInLoop, at: pos,
                       "goroutine started in a loop runs a for loop with no way out: one more goroutine per iteration, none ever ends",
                       lowConfidence: outlivesNothing ? neverReturnsOnceStarted
                           : startsOnce(ctx) && !ranges(overChannel: collection, ctx) && !waitsForItsEnd(ctx.unit.body.statements)
                           ? "started by a set-up function (Start, Run, Init, Prepare, New…) over a collection: a fixed set per object, which leaks only when the object is set up again"
                           : perItem,
                       // Only when that range is the one loop: an outer loop starts a set per turn.
                       lowIfRunsOnce: ranges(overChannel: collection, ctx) || frames.filter({ $0.kind == .loop }).count > 1 ? nil : runsOnce)
        }
    }

    /// Why every other finding is `low` (session 32): one goroutine per item of a slice or map is
    /// a fixed set per call, and grows only when the function runs again and again; the record on
    /// unseen code is 8 real of 40 (docs/LINT.md), the last nine clean passes' `high` ones a fixed
    /// set of configured watchers and a test helper's drainers, both false.
    static let perItem = "one goroutine per item of a collection is a fixed set per call: it leaks a growing number only when the function runs again and again"

    /// Why goroutines started over a collection by a function that runs once per process are `low`.
    static let runsOnce = "\(RunsOnce.reason): one goroutine per item of a fixed set, not a growing number"

    /// Why goroutines started by a function that can no longer return are `low`.
    static let neverReturnsOnceStarted = "every return of the function comes before it starts them, and it ends in an endless loop: they live as long as the function, by design, and leak only when the function itself is started again and again"

    /// Whether the function is a set-up step, run once per object or process rather than per
    /// request: `Start`, `Run`, `Init`, `Setup`, `Prepare`, `Open`, `Serve`, `Launch`, `Boot`
    /// (any case), or a name beginning with `new`, `init`, `start` or `setup`.
    static func startsOnce(_ ctx: CheckContext) -> Bool {
        guard !ctx.unit.isLiteral, let last = ctx.unit.name.split(separator: ".").last else { return false }
        let name = last.lowercased()
        if ["start", "run", "init", "setup", "prepare", "open", "serve", "launch", "boot"].contains(name) { return true }
        return ["new", "init", "start", "setup"].contains { name.hasPrefix($0) }
    }

    /// Whether the body waits for its own end at its top level (`<-ctx.Done()`, a `select`):
    /// then its lifetime is the goroutines' too, and those that outlive it leak whenever it runs
    /// again (argo-events' `StartListening`, retried per event source).
    static func waitsForItsEnd(_ body: [Stmt]) -> Bool {
        body.contains { s in
            if case .select = s { return true }
            if case .expr(let x) = s, case .unary(.arrow, _, _) = x.unparenthesized { return true }
            return false
        }
    }

    /// Whether `collection` is a local or parameter declared as a channel.
    static func ranges(overChannel collection: Expr, _ ctx: CheckContext) -> Bool {
        guard let name = collection.unparenthesized.identName, let type = LocalTypes(ctx.unit).types[name] else { return false }
        if case .chanType = type { return true }
        return false
    }

    /// `for { … }` (no condition) whose body has no exit (`neverTaken`: select cases that can
    /// never fire, whose ways out do not count).
    static func isEndless(_ s: Stmt, endsProcess: ((Call) -> Bool)? = nil, neverTaken: (Stmt?) -> Bool = { _ in false }) -> Bool {
        var label: String?
        var loop = s
        if case .labeled(let l, let inner) = s { label = l.name; loop = inner }
        guard case .forStmt(_, nil, _, let body, _) = loop else { return false }
        return !body.statements.contains { hasExit($0, label: label, depth: 0, endsProcess: endsProcess, neverTaken: neverTaken) }
    }

    /// Whether `s` can leave the loop: return, a break that targets it, goto, panic/exit calls.
    /// A return inside a select case whose communication `stays` accepts does not count (`staying`:
    /// already inside one), for callers that allow those ways out (`TickerCheck`'s loops that end
    /// only with the process). A call `endsProcess` accepts (`os.Exit`, `log.Fatal`, resolved by
    /// the caller: `TickerCheck.endsProcess`) is no way out either: nothing the loop holds outlives it.
    /// Nor is anything in a select case whose communication `neverTaken` accepts (a receive from a
    /// channel field nothing makes, `NilChannels`): that case never fires.
    static func hasExit(_ s: Stmt, label: String?, depth: Int, staysOnReturnIn stays: (Stmt?) -> Bool = { _ in false },
                        staying: Bool = false, endsProcess: ((Call) -> Bool)? = nil,
                        neverTaken: (Stmt?) -> Bool = { _ in false }) -> Bool {
        func exits(_ t: Stmt, _ depth: Int, _ staying: Bool) -> Bool {
            hasExit(t, label: label, depth: depth, staysOnReturnIn: stays, staying: staying, endsProcess: endsProcess,
                    neverTaken: neverTaken)
        }
        switch s {
        case .returnStmt: return !staying
        case .branch(let keyword, let target, _):
            if keyword == .kwGoto { return true }
            if keyword == .kwBreak {
                if let target { return target.name == label }
                return depth == 0
            }
            return false
        case .expr(.call(let c)): return Lint.neverReturns(c) && endsProcess?(c) != true
        case .labeled(_, let inner): return exits(inner, depth, staying)
        case .block(let b): return b.statements.contains { exits($0, depth, staying) }
        case .ifStmt(let i):
            return i.body.statements.contains { exits($0, depth, staying) }
                || (i.elseBranch.map { exits($0, depth, staying) } ?? false)
        case .switchStmt(_, _, let clauses, _), .typeSwitch(_, _, let clauses, _):
            return clauses.contains { $0.body.contains { exits($0, depth + 1, staying) } }
        case .select(let clauses, _):
            return clauses.contains { clause in
                if neverTaken(clause.comm) { return false }
                let inside = staying || stays(clause.comm)
                return clause.body.contains { exits($0, depth + 1, inside) }
            }
        case .forStmt(_, _, _, let body, _), .rangeStmt(_, _, _, _, let body, _):
            return body.statements.contains { exits($0, depth + 1, staying) }
        default: return false
        }
    }

}
