import LeakscopeGoSource

/// LS003: `ctx, cancel := context.WithX(…)` whose cancel is discarded, or not used on every path
/// to a return (go vet's lostcancel, over our syntax-tree paths).
enum LostCancel {
    static let constructors: Set<String> = [
        "WithCancel", "WithCancelCause", "WithTimeout", "WithTimeoutCause", "WithDeadline", "WithDeadlineCause",
    ]
    /// The constructors whose context also ends by itself, when its timer fires.
    static let expiring: Set<String> = ["WithTimeout", "WithTimeoutCause", "WithDeadline", "WithDeadlineCause"]
    /// The contexts whose `Done` is nil: nothing derived from them is ever registered with a
    /// parent (`WithoutCancel(ctx)`, Go 1.21, detaches from `ctx`'s cancellation).
    static let neverCancelled: Set<String> = ["Background", "TODO", "WithoutCancel"]

    /// `context.Background()`, `TODO()` or `WithoutCancel(x)`, called here or last assigned to the
    /// local `parent` by an earlier statement of the same list (`ctx := context.Background()`),
    /// with no other assignment to it in between; or `WithValue(p, k, v)` of such a `p` (a value
    /// context is done when its parent is: nocalhost's `WithCancel(WithValue(TODO(), …))`).
    static func isNeverCancelled(_ parent: Expr, _ frames: [Frame], _ ctx: CheckContext) -> Bool {
        if let c = Lint.call(parent) {
            if ctx.calls(c, "context", ["WithValue"]), c.args.count == 3 { return isNeverCancelled(c.args[0], frames, ctx) }
            return ctx.calls(c, "context", neverCancelled)
        }
        guard let name = parent.unparenthesized.identName, let frame = frames.last else { return false }
        for index in frame.list[..<frame.index].indices.reversed() {
            let earlier = frame.list[index]
            if case .assign(let lhs, _, let rhs, _) = earlier, let i = lhs.firstIndex(where: { $0.identName == name }) {
                guard lhs.count == rhs.count, Lint.call(rhs[i]) != nil else { return false }
                // The value as it stood where it was assigned.
                var there = frames
                there[there.count - 1].index = index
                return isNeverCancelled(rhs[i], there, ctx)
            }
            if Lint.assigns(earlier, name) { return false }
        }
        return false
    }

    /// Why a cancel missed on some path is `low`: the context is held only until its parent
    /// ends, which matters when the function runs again and again under a long-lived parent.
    /// Every first-pass finding of this shape on unseen code was judged false (docs/LINT.md).
    static let missedOnAPath = "the context is held only until its parent is cancelled: a leak when the function runs again and again under a long-lived parent"
    /// The same for a timeout or deadline context, which its own timer also ends.
    static let missedOnAPathExpiring = "the context is held only until its deadline passes or its parent is cancelled: a leak when the function runs again and again before then"

    /// Why a discarded cancel of a cancel-only context outside loops is `low`.
    static let discardedOnce = "one context per call, held until its parent is cancelled: a leak only when the function runs again and again under a long-lived parent"

    /// Whether the context made at `frames` is made on every turn of a loop under a `parent` the
    /// loop's body does not bind (a parameter, a field, a local made before the loop): each turn
    /// registers one more child with the same parent.
    static func droppedPerTurn(parent: Expr, _ frames: [Frame], contexts: Set<String>) -> Bool {
        guard let loop = frames.lastIndex(where: { $0.kind == .loop }) else { return false }
        var names: [String] = []
        _ = Walk.contains(parent) { x in
            if let name = x.identName { names.append(name) }
            return false
        }
        // The loop statement itself too: `for _, p := range parents` gives each turn its own parent.
        // A binding derived by a call whose first argument is the name itself, a `context.Context`
        // parameter, or a local the loop derives so (`ctx, span := tracer.Start(ctx, …)`, `vctx :=
        // context.WithValue(ctx, …)`) keeps the outer lineage: its cancel-only children still register with the
        // caller's context, one more per turn.
        let inside = frames[loop].list + (frames[loop].owner.map { [$0] } ?? [])
        func bindsInside(_ name: String) -> Bool { bindingCount(inside, name) > 0 }
        func ownParent(_ name: String, depth: Int) -> Bool {
            var own = false
            for statement in inside {
                Walk.statements(statement, intoFuncLits: true, { st in
                    guard binds(st, name) else { return true }
                    if case .assign(let lhs, _, let rhs, _) = st, lhs.count >= 1, rhs.count == 1, let c = Lint.call(rhs[0]),
                       let first = c.args.first?.unparenthesized.identName,
                       first == name || contexts.contains(first) || (depth < 3 && bindsInside(first) && !ownParent(first, depth: depth + 1)) {
                        return true
                    }
                    own = true
                    return true
                }, { _ in true })
            }
            return own
        }
        return !names.contains { ownParent($0, depth: 0) }
    }

    /// Whether the statement at `frames` is a top-level statement of `body` after which nothing
    /// leaves the function (return, panic, `goto`) but through the last statement, an endless
    /// `for` whose only ways out are returns in select cases receiving from `<c>.Done()` for one
    /// of `contexts`, none of which is assigned or declared again after the definition (a
    /// shadowing `ctx, cancel := context.WithTimeout(ctx, …)` would end the loop early).
    static func endsOnlyWithContext(_ body: [Stmt], _ frames: [Frame], contexts: [String]) -> Bool {
        guard frames.count == 1, let frame = frames.first, frame.index < body.count - 1, var loop = body.last else { return false }
        let rest = body[(frame.index + 1)...]
        guard !rest.contains(where: { s in contexts.contains { rebinds(s, $0) } }) else { return false }
        var label: String?
        if case .labeled(let l, let inner) = loop { label = l.name; loop = inner }
        guard case .forStmt(_, nil, _, let loopBody, _) = loop,
              !rest.dropLast().contains(where: { EndlessGoroutine.hasExit($0, label: nil, depth: 0) }) else { return false }
        func receivesDone(_ comm: Stmt?) -> Bool {
            guard let operand = AbandonedSend.receivedOperand(comm), let c = Lint.call(operand), c.args.isEmpty,
                  case .selector(let base, let method) = c.fun.unparenthesized, method.name == "Done",
                  let text = Lint.text(base) else { return false }
            return contexts.contains(text)
        }
        return !loopBody.statements.contains { EndlessGoroutine.hasExit($0, label: label, depth: 0, staysOnReturnIn: receivesDone) }
    }

    /// Whether `s` gives `name` (an identifier or a selector chain, `q.ctx`) a value anywhere
    /// inside, function literals included: an assignment, a `var`, a `range` key or value.
    static func rebinds(_ s: Stmt, _ name: String) -> Bool { bindingCount([s], name) > 0 }

    /// How many statements in `statements` (at any depth, function literals included) give
    /// `name` a value (`binds`).
    static func bindingCount(_ statements: [Stmt], _ name: String) -> Int {
        var count = 0
        for statement in statements {
            Walk.statements(statement, intoFuncLits: true, { s in
                if binds(s, name) { count += 1 }
                return true
            }, { _ in true })
        }
        return count
    }

    /// Whether the statement `s` itself (not one nested in it) gives `name` a value.
    static func binds(_ s: Stmt, _ name: String) -> Bool {
        func names(_ e: Expr?) -> Bool { e.flatMap { Lint.text($0) } == name }
        switch s {
        case .assign(let lhs, _, _, _): return lhs.contains(where: names)
        case .rangeStmt(let key, let value, _, _, _, _): return names(key) || names(value)
        case .decl(let d):
            return d.specs.contains { spec in
                if case .value(let declared, _, _) = spec { return declared.contains { $0.name == name } }
                return false
            }
        default: return false
        }
    }

    /// Whether `parent` names a context the function makes with `parent, stop := context.WithX(…)`
    /// as one of its own statements before `position` (not a parameter or result, nothing else
    /// binding either name) and cancels with a `defer stop()` of its own after that, or with a
    /// `stop()` of its own after a top-level child and nothing between them that can leave the
    /// function; `childFrames` (the child's) must be outside loops, and the function must be able
    /// to return.
    static func cancelsParent(_ parent: Expr, _ body: [Stmt], after position: Int32, childFrames: [Frame], _ ctx: CheckContext) -> Bool {
        guard let name = parent.unparenthesized.identName, !childFrames.contains(where: { $0.kind == .loop }),
              !Lint.blocksForever(body) else { return false }
        let declared = (ctx.unit.type.params + ctx.unit.type.results).flatMap { $0.names.map(\.name) }
        guard !declared.contains(name) else { return false }
        for (index, statement) in body.enumerated() where statement.pos < position {
            guard case .assign(let lhs, .define, let rhs, _) = statement, lhs.count == 2, rhs.count == 1, lhs[0].identName == name,
                  let c = Lint.call(rhs[0]), ctx.calls(c, "context", constructors), let stop = lhs[1].identName, stop != "_",
                  !declared.contains(stop), bindingCount(body, name) == 1, bindingCount(body, stop) == 1 else { continue }
            let rest = body[(index + 1)...]
            if rest.contains(where: { s in
                if case .deferCall(let d, _) = s { return d.fun.identName == stop && d.args.isEmpty }
                return false
            }) { return true }
            // Or `stop()` as one of its own statements after a child made at the top level, with
            // nothing between them that can leave the function.
            guard childFrames.count == 1, let child = childFrames.first?.index,
                  let call = body.indices.first(where: { i in
                      guard i > child, case .expr(.call(let c)) = body[i] else { return false }
                      return c.fun.identName == stop && c.args.isEmpty
                  }) else { return false }
            return !body[(child + 1)..<call].contains { EndlessGoroutine.hasExit($0, label: nil, depth: 0) }
        }
        return false
    }

    static func run(_ ctx: CheckContext) {
        if ctx.unit.name == "main.main" { return }
        forEachStatement(ctx.unit.body.statements) { s, frames in
            guard case .assign(let lhs, let op, let rhs, _) = s, lhs.count == 2, rhs.count == 1,
                  let call = Lint.call(rhs[0]), ctx.calls(call, "context", constructors),
                  case .ident(let cancel) = lhs[1] else { return }
            let constructor = ctx.packageMember(call.fun)!.name
            let expires = expiring.contains(constructor)
            // Under Background or TODO (their Done is nil) a cancel-only context registers with
            // nothing and starts no timer: uncancelled, it is garbage like any value.
            if !expires, let parent = call.args.first, isNeverCancelled(parent, frames, ctx) { return }
            if cancel.name == "_" {
                // A child of a local context this function cancels itself is dropped with it
                // (ctlstore's test: `ctx2, _ := context.WithCancel(ctx)` under `ctx, cancel :=
                // context.WithCancel(…)`).
                if let parent = call.args.first, cancelsParent(parent, ctx.unit.body.statements, after: s.pos, childFrames: frames, ctx) { return }
                // A worker whose only way out is its context ending (`for { select { case
                // <-child.Done(): return … } }`) returns when the parent is cancelled, which also
                // drops the child: the child never outlives the call (skywalking-satellite's
                // sender loops, `childCtx, _ := context.WithCancel(ctx)`).
                if !expires, let parent = call.args.first, case .ident(let child) = lhs[0],
                   endsOnlyWithContext(ctx.unit.body.statements, frames, contexts: [child.name, Lint.text(parent)].compactMap { $0 }) { return }
                // A timeout or deadline context ends when its timer fires: nothing outlives that.
                // A cancel-only one outside loops is one context per call, held until the parent
                // ends. Every first-pass finding of either shape on unseen code was judged false
                // (docs/LINT.md); one dropped per turn of a loop under a parent the loop does not
                // make grows with the turns, and stays `high`.
                let perTurn = !expires && call.args.first.map { droppedPerTurn(parent: $0, frames, contexts: ctx.parameters(ofType: "context", "Context")) } == true
                ctx.report(Checks.lostCancel, at: cancel.pos,
                           "the cancel function returned by context.\(constructor) is discarded: the context leaks until "
                               + (expires ? "its deadline passes or " : "") + "its parent is cancelled"
                               + (perTurn ? ", one more each turn of the loop" : ""),
                           lowConfidence: expires ? "the context's timer cancels it at the deadline; held only until then"
                               : perTurn ? nil : discardedOnce)
                return
            }
            guard op == .define else { return }
            let name = cancel.name
            var walker = HeldWalker(releases: { Lint.mentions($0, name) },
                                    deferReleases: { Lint.mentions(.call($0), name) },
                                    exprReleases: { Lint.mentions($0, name) })
            walker.run(from: frames)
            if let first = walker.leakingReturns.first {
                let line = ctx.file.position(of: first).line
                ctx.report(Checks.lostCancel, at: lhs[0].pos,
                               "\(name) from context.\(constructor) is not called on every path: the return on line \(line) leaves it uncalled",
                               related: walker.leakingReturns, relatedText: "returns without calling \(name)",
                               lowConfidence: expires ? missedOnAPathExpiring : missedOnAPath)
            } else if walker.fallsOffHeld {
                ctx.report(Checks.lostCancel, at: lhs[0].pos,
                               "\(name) from context.\(constructor) is not called on every path to the end of the function",
                               lowConfidence: expires ? missedOnAPathExpiring : missedOnAPath)
            }
        }
    }
}
