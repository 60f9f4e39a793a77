import LeakscopeGoSource

/// LS006: `mu.Lock()` followed by a return that can be reached with the mutex still held, in a
/// function that does unlock it elsewhere (functions that never unlock hand the lock over on
/// purpose and are not reported).
enum LockRelease {
    static func run(_ ctx: CheckContext) {
        let body = ctx.unit.body.statements
        forEachStatement(body) { s, frames in
            guard case .expr(.call(let call)) = s, call.args.isEmpty, let (receiver, method) = Lint.methodCall(call),
                  method == "Lock" || method == "RLock", let key = Lint.text(receiver) else { return }
            let unlock = method == "Lock" ? "Unlock" : "RUnlock"
            func isDirectUnlock(_ x: Expr) -> Bool {
                if case .call(let c) = x, c.args.isEmpty, let (r, m) = Lint.methodCall(c), m == unlock, Lint.text(r) == key { return true }
                return false
            }
            // Local closures that unlock (`rollback := func() { …; mu.Unlock() }`), also through
            // other such closures: calling one releases the lock.
            let closures = localClosures(body)
            var releasers = Set<String>()
            var grew = true
            while grew {
                grew = false
                for (name, closure) in closures where !releasers.contains(name) {
                    let releases = Walk.contains(closure) { x in
                        if isDirectUnlock(x) { return true }
                        if case .call(let c) = x, let f = c.fun.identName, releasers.contains(f) { return true }
                        return false
                    }
                    if releases { releasers.insert(name); grew = true }
                }
            }
            func isUnlock(_ x: Expr) -> Bool {
                if isDirectUnlock(x) { return true }
                if case .call(let c) = x, let f = c.fun.identName, releasers.contains(f) { return true }
                return false
            }
            // Handing the lock to the caller is a pattern, not a leak. Signs of it: no direct
            // unlock after the lock (only inside a returned closure, or none at all); an unlock
            // before it (the function drops and re-takes a lock it was called with); every
            // return after the lock returning with it held (Rows.Scan's conditional hold); a
            // return that hands over something named *unlock*/*release*.
            let lockAt = call.fun.pos
            // The objects the lock belongs to: the root of its path (`s` of `s.gate`), and the root
            // of what a local naming it was set from (`gate := &s.gate`, `mu := e.mu`).
            var owners = Set<String>()
            func root(_ e: Expr) -> String? {
                switch e.unparenthesized {
                case .ident(let id): return id.name
                case .selector(let base, _): return root(base)
                case .unary(.and, let inner, _): return root(inner)
                default: return nil
                }
            }
            if let r = root(receiver) { owners.insert(r) }
            if let local = receiver.identName {
                forEachStatement(body) { t, _ in
                    guard case .assign(let lhs, _, let rhs, _) = t, lhs.count == rhs.count else { return }
                    for (l, r) in zip(lhs, rhs) where l.identName == local {
                        if case .ident = r.unparenthesized { continue }
                        if let o = root(r) { owners.insert(o) }
                    }
                }
            }
            var unlockBefore = false
            var unlockAfter = false
            var returnsAfter: [Int32] = []
            var successReturns = Set<Int32>()
            var handedToGoroutine = false
            forEachStatement(body) { t, _ in
                if case .returnStmt(let results, let p) = t, p > lockAt {
                    returnsAfter.append(p)
                    // `return tx, nil`: the caller gets the locked object on success.
                    if results.count >= 2, results.last?.identName == "nil" { successReturns.insert(p) }
                    // `return s, true`: comma-ok, handing over the object the lock belongs to.
                    if results.count == 2, results[1].identName == "true", let first = results[0].identName,
                       owners.contains(first) { successReturns.insert(p) }
                }
                // `go func() { …; mu.Unlock() }()` after the lock: the goroutine owns it now
                // (sync.Cond waiters hand their lock to a watcher goroutine this way).
                if case .go(let g, let p) = t, p > lockAt, case .funcLit = g.fun, Walk.contains(.expr(.call(g)), where: isUnlock) {
                    handedToGoroutine = true
                }
                guard Walk.contains(t, intoFuncLits: false, where: isUnlock) else { return }
                if case .expr = t, t.pos < lockAt { unlockBefore = true }
                if case .deferCall = t, t.pos < lockAt { unlockBefore = true }
                if t.pos > lockAt { unlockAfter = true }
            }
            guard unlockAfter, !unlockBefore, !handedToGoroutine else { return }
            // A lock taken in one arm of an if is usually released under the same condition later.
            var scoped = frames
            if let branch = frames.lastIndex(where: { $0.kind == .branch }), branch > 0 {
                scoped = Array(frames[branch...])
                scoped[0].kind = .loop  // stop, silently, when control leaves the arm
            }
            func handsOver(_ s: Stmt) -> Bool {
                guard case .returnStmt = s else { return false }
                return Walk.contains(s) { x in
                    let name: String? = x.identName ?? { if case .selector(_, let f) = x { return f.name }; return nil }()
                    guard let lower = name?.lowercased() else { return false }
                    return lower.contains("unlock") || lower.contains("release")
                }
            }
            var walker = HeldWalker(releases: { Walk.contains($0, intoFuncLits: false, where: isUnlock) || handsOver($0) },
                                    deferReleases: { Walk.contains(.call($0), where: isUnlock) },
                                    exprReleases: { Walk.contains($0, intoFuncLits: false, where: isUnlock) })
            walker.run(from: scoped)
            // `func … error` whose every `return nil` after the lock holds it, while the error
            // returns release it: the lock is the success result (acquire now, release in a later
            // call such as Commit or Drop), like `return tx, nil` above.
            let results = ctx.unit.type.results
            if results.count == 1, results[0].names.count <= 1, results[0].type.identName == "error" {
                var nilReturns = Set<Int32>()
                forEachStatement(body) { t, _ in
                    if case .returnStmt(let r, let p) = t, p > lockAt, r.count == 1, r[0].identName == "nil" { nilReturns.insert(p) }
                }
                if !nilReturns.isEmpty, nilReturns.isSubset(of: Set(walker.leakingReturns)) { successReturns.formUnion(nilReturns) }
            }
            let leaking = walker.leakingReturns.filter { !successReturns.contains($0) }
            guard let first = leaking.first, Set(returnsAfter) != Set(walker.leakingReturns) else { return }
            let line = ctx.file.position(of: first).line
            ctx.report(Checks.lockNotReleased, at: call.fun.pos,
                           "\(key).\(method)() is still held at the return on line \(line)",
                           related: leaking, relatedText: "returns with \(key) locked")
        }
    }

    /// `name := func(…) {…}` in the body (any depth, not inside other literals).
    static func localClosures(_ body: [Stmt]) -> [String: Expr] {
        var out: [String: Expr] = [:]
        forEachStatement(body) { s, _ in
            if case .assign(let lhs, _, let rhs, _) = s, lhs.count == rhs.count {
                for (l, r) in zip(lhs, rhs) {
                    if let name = l.identName, case .funcLit = r { out[name] = r }
                }
            }
        }
        return out
    }
}
