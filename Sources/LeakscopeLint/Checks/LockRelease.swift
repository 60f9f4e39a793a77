import LeakscopeGoSource

/// LS006: `mu.Lock()` followed by a return that can be reached with the mutex still held, in a
/// function that does unlock it elsewhere (functions that never unlock hand the lock over on
/// purpose and are not reported).
enum LockRelease {
    /// Words that open a release variant's name after the unlock (`UnlockWithoutNotify`,
    /// `UnlockNoSignal`): they say how the lock is released, not that it is only asked about
    /// (`UnlockPending`), released in another mode (`UnlockShared`) or taken again (`UnlockAndRLock`).
    static let releaseModifiers = ["Without", "With", "No"]

    /// Whether method `m` is a release variant of one of `unlocks` that a project's own lock type
    /// adds: the unlock's name, then a `releaseModifiers` word and a capitalised rest with no
    /// `Lock` in it (mutagen's tracking lock has `Unlock`, which notifies watchers, and
    /// `UnlockWithoutNotify`, which does not).
    static func releasesVariant(_ m: String, of unlocks: Set<String>) -> Bool {
        unlocks.contains { unlock in
            guard m.hasPrefix(unlock) else { return false }
            let rest = m.dropFirst(unlock.count)
            guard !rest.contains("Lock") else { return false }
            return releaseModifiers.contains { word in rest.hasPrefix(word) && rest.dropFirst(word.count).first?.isUppercase == true }
        }
    }

    static func run(_ ctx: CheckContext) {
        let body = ctx.unit.body.statements
        // Calls standing as statements of their own or deferred, worked out once per function on
        // first use: a release variant used as a value (`if l.UnlockWithNotice() {…}`) is not
        // taken as one.
        var statementCallsMemo: Set<Int32>?
        func standsAlone(_ c: Call) -> Bool {
            if statementCallsMemo == nil {
                var found = Set<Int32>()
                for s in body {
                    Walk.statements(s, { st in
                        switch st {
                        case .expr(.call(let call)), .deferCall(let call, _): found.insert(call.fun.pos)
                        default: break
                        }
                        return true
                    }, { _ in true })
                }
                statementCallsMemo = found
            }
            return statementCallsMemo!.contains(c.fun.pos)
        }
        forEachStatement(body) { s, frames in
            guard case .expr(.call(let call)) = s, call.args.isEmpty, let (receiver, method) = Lint.methodCall(call),
                  method == "Lock" || method == "RLock", let key = Lint.text(receiver) else { return }
            let unlock = method == "Lock" ? "Unlock" : "RUnlock"
            // `mu.DowngradeLock()` (gVisor's sync.RWMutex) turns the write hold into a read hold,
            // which `mu.RUnlock()` then releases: in a function that downgrades this lock, either
            // unlock ends a `Lock` (gVisor's memory manager, which maps pages under the read lock).
            let unlocks: Set<String> = method == "Lock" && downgrades(key, body) ? ["Unlock", "RUnlock"] : [unlock]
            func isDirectUnlock(_ x: Expr) -> Bool {
                guard case .call(let c) = x, c.args.isEmpty, let (r, m) = Lint.methodCall(c), Lint.text(r) == key else { return false }
                return unlocks.contains(m) || releasesVariant(m, of: unlocks) && standsAlone(c)
            }
            /// Whether one of `statements` is the unlock itself, not under a condition.
            func unlocksAsOwnStatement(_ statements: [Stmt]) -> Bool {
                statements.contains { st in
                    if case .expr(let e) = st { return isDirectUnlock(e) }
                    return false
                }
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
            releasers.formUnion(disarmedReleasers(body, key: key, method: method, releases: { closure in
                if case .funcLit(_, let b) = closure.unparenthesized { return unlocksAsOwnStatement(b.statements) }
                return false
            }, isDirectUnlock: isDirectUnlock))
            // A method value bound to the lock (`unlock := node.Unlock`; arvados's collection
            // file system, which then reassigns `node`): calling the local releases the lock.
            forEachStatement(body) { st, _ in
                guard case .assign(let lhs, .define, let rhs, _) = st, lhs.count == 1, rhs.count == 1,
                      let name = lhs[0].identName, case .selector(let base, let m) = rhs[0].unparenthesized,
                      unlocks.contains(m.name), Lint.text(base) == key else { return }
                releasers.insert(name)
            }
            // A method of the receiver's type that unlocks this lock without taking it:
            // calling it (`return sm.handleConn(…)`) hands the lock over, and deferring a function
            // it returned (`q, cleanup, err := q.getQueue(id); defer cleanup()`) releases it.
            let owner = Self.root(receiver)
            // The owner's package type, for `ForeignReleasers` (computed on first use).
            var ownerTypeMemo: String??
            func ownerType() -> String? {
                if ownerTypeMemo == nil { ownerTypeMemo = .some(owner.flatMap { ownerTypeName($0, ctx) }) }
                return ownerTypeMemo!
            }
            var handoverMethods: Set<String>?  // computed on first use: most locks never need it
            func callsReleasingMethod(_ c: Call) -> Bool {
                guard case .selector(let base, let m) = c.fun.unparenthesized, base.unparenthesized.identName == owner,
                      owner != nil else { return false }
                if handoverMethods == nil { handoverMethods = releasingMethods(of: ctx, lockPath: key, unlock: unlock, lock: method) }
                return handoverMethods!.contains(m.name)
            }
            let releasedByDeferredResult = deferredResults(body) { callsReleasingMethod($0) }
            let deferredLocals = deferredReceivers(body)
            let returned = returnedLocals(body, results: ctx.unit.type.results)
            // The owner itself may be the lock (a type embedding its mutex: `db.RLock()`).
            let ownerHolds = owner.map { key == $0 || key.hasPrefix($0 + ".") } ?? false
            func isUnlock(_ x: Expr) -> Bool {
                if isDirectUnlock(x) { return true }
                // `cu.Add(func() { mu.Unlock() })` with `defer cu.Clean()` in the body: the unlock is
                // registered with a cleanup object the function runs on return (gVisor's
                // `cleanup.Cleanup` in `newTask`), as a deferred unlock would be.
                // Or with an object the function returns, which runs it when its user closes it
                // (sling's datastream: `ds.Defer(func() { …; duck.Context.Unlock() })`, session 30).
                // Only a registration (`Add`, `Defer`, `Push`, `Register`) of a literal that
                // unlocks as one of its own statements, not under a condition.
                if case .call(let c) = x, case .selector(let base, let registration) = c.fun.unparenthesized,
                   ["Add", "Defer", "Push", "Register"].contains(registration.name),
                   let local = base.unparenthesized.identName, deferredLocals.contains(local) || returned.contains(local),
                   c.args.contains(where: { argument in
                       guard case .funcLit(_, let literal) = argument.unparenthesized else { return false }
                       return unlocksAsOwnStatement(literal.statements)
                   }) { return true }
                if case .call(let c) = x, let f = c.fun.identName, releasers.contains(f) { return true }
                if let owner, ownerHolds,
                   unlocksThroughField(x, owner: owner, ownerType: ownerType, rest: key.dropFirst(owner.count), unlocks: unlocks, ctx) { return true }
                if case .call(let c) = x {
                    // `func() { defer mu.Unlock(); … }()`: an immediately invoked literal releases it.
                    if case .funcLit(_, let inner) = c.fun.unparenthesized, inner.statements.contains(where: { st in
                        if case .deferCall(let d, _) = st { return isDirectUnlock(.call(d)) }
                        return false
                    }) { return true }
                    if callsReleasingMethod(c) { return true }
                    if let owner, key.hasPrefix(owner + "."),
                       passesLockToReleaser(c, owner: owner, rest: key.dropFirst(owner.count), unlock: unlock, lock: method, ctx,
                                            lockedAt: call.fun.pos) { return true }
                    if let owner, ownerHolds,
                       callsForeignReleaser(c, owner: owner, ownerType: ownerType, rest: key.dropFirst(owner.count), unlock: unlock, lock: method, ctx) { return true }
                    if let f = c.fun.identName, releasedByDeferredResult.contains(f) { return true }
                }
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
            let root = Self.root
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
            // A bare `return` hands the object the lock belongs to to the caller locked, like
            // `return s, true` below, when a named result is that object or is given it, and every
            // assignment to a named result after the lock gives it that object, sets an error
            // result to nil, or follows an unlock in its own statement list (gcsfuse returns its
            // inodes locked through named results, and clears them only after unlocking). An
            // error set while locked (`err = ctx.Err(); return`) is a failure, not a hand-over.
            let namedResults = Set(ctx.unit.type.results.flatMap { $0.names.map(\.name) })
            let errorResults = Set(ctx.unit.type.results.filter { $0.type.identName == "error" }.flatMap { $0.names.map(\.name) })
            var handsOverNamedMemo: Bool?
            func handsOverNamed() -> Bool {
                if let known = handsOverNamedMemo { return known }
                var given = namedResults.intersection(owners)
                var violated = namedResults.isEmpty
                forEachStatement(body) { t, tFrames in
                    var assignments: [(Stmt, inList: Bool)] = []
                    if case .assign = t { assignments.append((t, true)) }
                    switch t {
                    case .ifStmt(let i): if let initial = i.initial { assignments.append((initial, false)) }
                    case .switchStmt(let initial?, _, _, _), .typeSwitch(let initial?, _, _, _): assignments.append((initial, false))
                    case .forStmt(let initial, _, let post, _, _):
                        for part in [initial, post].compactMap({ $0 }) { assignments.append((part, false)) }
                    default: break
                    }
                    for (a, inList) in assignments where a.pos > lockAt {
                        guard case .assign(let lhs, _, let rhs, _) = a else { continue }
                        for (index, l) in lhs.enumerated() {
                            guard let n = l.identName, namedResults.contains(n) else { continue }
                            let value = lhs.count == rhs.count ? rhs[index].unparenthesized.identName : nil
                            if let value, owners.contains(value), !errorResults.contains(n) { given.insert(n); continue }
                            if value == "nil", errorResults.contains(n) { continue }
                            if inList, let frame = tFrames.last, frame.list[..<frame.index].contains(where: { earlier in
                                Walk.contains(earlier, intoFuncLits: false) { x in
                                    guard case .call(let c) = x, c.fun.pos > lockAt else { return false }
                                    return isUnlock(x)
                                }
                            }) { continue }
                            violated = true
                        }
                    }
                }
                handsOverNamedMemo = !violated && !given.isEmpty
                return handsOverNamedMemo!
            }
            var unlockBefore = false
            var unlockAfter = false
            var returnsAfterLock: [Int32] = []
            // Returns after the lock of a single bare `nil`, `true` or `false`, by that name.
            var literalReturns: [String: Set<Int32>] = [:]
            var successReturns = Set<Int32>()
            var handedToGoroutine = false
            // `done = func() { mu.RUnlock() }` after the lock, `done` a named result: a bare return
            // whose last assignment to `done` before it (in source order) was that literal gives
            // the caller the lock with the function that releases it (goxdcr's
            // `LockAndGetBrokenMapEventForEditing`). A returned literal that unlocks is `handsOver`'s.
            var namedAssignments: [(pos: Int32, name: String, releases: Bool)] = []
            forEachStatement(body) { t, _ in
                guard case .assign(let lhs, _, let rhs, _) = t, t.pos > lockAt else { return }
                for (index, l) in lhs.enumerated() {
                    guard let name = l.identName, namedResults.contains(name) else { continue }
                    var releases = false
                    if lhs.count == rhs.count, case .funcLit(_, let literal) = rhs[index].unparenthesized {
                        releases = unlocksAsOwnStatement(literal.statements)
                    }
                    namedAssignments.append((t.pos, name, releases))
                }
            }
            func returnsRelease(_ p: Int32) -> Bool {
                var last: [String: Bool] = [:]
                for a in namedAssignments where a.pos < p { last[a.name] = a.releases }
                return last.values.contains(true)
            }
            forEachStatement(body) { t, _ in
                if case .returnStmt(let results, let p) = t, p > lockAt {
                    returnsAfterLock.append(p)
                    if results.count == 1, let literal = results[0].identName { literalReturns[literal, default: []].insert(p) }
                    // `return tx, nil`: the caller gets the locked object on success.
                    if results.count >= 2, results.last?.identName == "nil" { successReturns.insert(p) }
                    if results.isEmpty, handsOverNamed() || returnsRelease(p) { successReturns.insert(p) }
                    // `return s, true`: comma-ok, handing over the object the lock belongs to.
                    if results.count == 2, results[1].identName == "true", let first = results[0].identName,
                       owners.contains(first) { successReturns.insert(p) }
                }
                // `go func() { …; mu.Unlock() }()` after the lock: the goroutine owns it now
                // (sync.Cond waiters hand their lock to a watcher goroutine this way).
                if case .go(let g, let p) = t, p > lockAt, case .funcLit = g.fun, Walk.contains(.expr(.call(g)), where: isUnlock) {
                    handedToGoroutine = true
                }
                // A deferred literal registered before the lock settles it on the way out when it
                // unlocks as one of its own statements, or when it holds both of the lock's
                // releases (cubefs's limiter records in a state struct whether it holds the read or
                // the write lock, and its deferred literal releases whichever it is). One that
                // unlocks only under another condition (`if recover() != nil`) does not, unless that
                // condition is a flag that tracks the hold (`UnlockFlags.releasesWhileHeld`).
                if case .deferCall(let d, _) = t, t.pos < lockAt, case .funcLit(_, let literal) = d.fun.unparenthesized {
                    let own = unlocksAsOwnStatement(literal.statements)
                    let modes = Set(["Unlock", "RUnlock"].filter { m in Walk.contains(.call(d)) { lockMethod($0, on: key) == m } })
                    let tracked = UnlockFlags.releasesWhileHeld(d, deferAt: t.pos, unit: ctx.unit, lockAt: lockAt, frames: frames,
                                                                isLock: { lockMethod($0, on: key) == method }, isUnlock: isDirectUnlock)
                    if own || modes.count == 2 || tracked { unlockBefore = true }
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
            // A field's mutex only (`db.Mux`, `t.mu`): a bare `c` is a type embedding its mutex,
            // and handing `c` to a helper (`return compute(c, k)`) hands over the value, not the lock.
            let lockText = Lint.text(receiver).flatMap { $0.contains(".") ? $0 : nil }
            func handsOver(_ s: Stmt) -> Bool {
                guard case .returnStmt = s else { return false }
                return Walk.contains(s) { x in
                    // `return db.Stmts.New(ctx, query, db.Mux)`: the locked mutex itself goes to the
                    // callee, which releases it (gorm's statement store unlocks once it has prepared).
                    if let lockText, let c = Lint.call(x), c.args.contains(where: { argument in
                        var a = argument.unparenthesized
                        if case .unary(.and, let inner, _) = a { a = inner.unparenthesized }
                        return Lint.text(a) == lockText
                    }) { return true }
                    let name: String? = x.identName ?? { if case .selector(_, let f) = x { return f.name }; return nil }()
                    guard let lower = name?.lowercased() else { return false }
                    return lower.contains("unlock") || lower.contains("release")
                }
            }
            var walker = HeldWalker(releases: { Walk.contains($0, intoFuncLits: false, where: isUnlock) || handsOver($0) },
                                    deferReleases: { Walk.contains(.call($0), where: isUnlock) },
                                    exprReleases: { Walk.contains($0, intoFuncLits: false, where: isUnlock) })
            let flags = UnlockFlags(body, lockedAt: lockAt, isUnlock: isDirectUnlock)
            // Hold flags are worked out only when the walk meets an `if flag { … }` while holding.
            var holds: HoldFlags?
            walker.settles = { s in
                if flags.settles(s) { return true }
                if ComplementaryUnlocks.settles(s, body: body, owner: owner, isLock: { lockMethod($0, on: key) == method },
                                                isUnlock: isDirectUnlock) {
                    return true
                }
                guard HoldFlags.mightSettle(s) else { return false }
                let known = holds ?? HoldFlags(body, lockedAt: lockAt, isLock: { lockMethod($0, on: key) == method }, isUnlock: isDirectUnlock)
                holds = known
                return known.settles(s)
            }
            walker.run(from: scoped)
            // `func … error` whose every `return nil` after the lock holds it, while the error
            // returns release it: the lock is the success result (acquire now, release in a later
            // call such as Commit or Drop), like `return tx, nil` above.
            let results = ctx.unit.type.results
            let leakingSet = Set(walker.leakingReturns)
            if results.count == 1, results[0].names.count <= 1, results[0].type.identName == "error" {
                let nilReturns = literalReturns["nil"] ?? []
                if !nilReturns.isEmpty, nilReturns.isSubset(of: leakingSet) { successReturns.formUnion(nilReturns) }
            }
            // `func TryX() bool` whose every `return true` holds the lock and every `return false`
            // releases it: the lock is the success result, released by a later call (`ReleaseX`).
            if results.count == 1, results[0].names.count <= 1, results[0].type.identName == "bool" {
                let trueReturns = literalReturns["true"] ?? [], falseReturns = literalReturns["false"] ?? []
                if !trueReturns.isEmpty, !falseReturns.isEmpty, leakingSet == trueReturns, falseReturns.isDisjoint(with: leakingSet) {
                    successReturns.formUnion(trueReturns)
                }
            }
            // A return in the body of a select's send case (`case work <- item: return`) hands the
            // lock to the receiver with the value, when a worker method of the receiver's type
            // releases this lock and never takes it (pulumi's step executor: the worker's
            // `executeChain` defers the RUnlock of the read lock its feeder took). An `Unlock`
            // wrapper, or a helper that drops the lock and takes it again, is not such a worker.
            let sentWithLock = returnsInSendCases(body)
            if !sentWithLock.isEmpty, walker.leakingReturns.contains(where: sentWithLock.contains),
               !workerReleasers(of: ctx, lockPath: key, unlock: unlock, lock: method).isEmpty {
                successReturns.formUnion(sentWithLock)
            }
            successReturns.formUnion(returnsHandingOutMutex(body, key: key, lockAt: lockAt, results: results))
            // The body's own returns that a later `<key>.<method>()`, itself one of the body's own
            // statements, holds on every path: no unlock of any kind between them, and the lock's
            // root never assigned in the function (it might name another object by then). When
            // they and this lock's leaking returns are every return after it, the function always
            // gives its caller the lock (weaver's `Versioned.RLock` drops the read lock to wait for
            // a change and takes it again before returning).
            func reheld() -> Set<Int32> {
                guard let owner, !body.contains(where: { Lint.assigns($0, owner) }) else { return [] }
                var held = Set<Int32>()
                for (index, later) in body.enumerated() {
                    guard case .expr(let x) = later, later.pos > lockAt, lockMethod(x, on: key) == method else { continue }
                    for next in body[(index + 1)...] {
                        if Walk.contains(next, intoFuncLits: false, where: isUnlock) { break }
                        if case .returnStmt(_, let p) = next { held.insert(p); break }
                    }
                }
                return held
            }
            // Returns in the branch of an error a call of the package's own cannot give.
            let dead = walker.leakingReturns.isEmpty ? [] : NeverFailingCalls.deadReturns(body, ctx)
            var leaking = walker.leakingReturns.filter { !successReturns.contains($0) && !dead.contains($0) }
            // Returns that drop a value the function has just made, and its lock with it.
            if let owner { leaking.removeAll(where: FreshOwners.dyingReturns(leaking, owner: owner, key: key, ctx).contains) }
            guard let first = leaking.first, Set(returnsAfterLock) != Set(walker.leakingReturns).union(reheld()),
                  !LockHandedToCallers.holds(ctx, lockPath: key, unlock: unlock),
                  !LockHandedToCallers.documented(ctx, lockPath: key) else { return }
            let line = ctx.file.position(of: first).line
            ctx.report(Checks.lockNotReleased, at: call.fun.pos,
                           "\(key).\(method)() is still held at the return on line \(line)",
                           related: leaking, relatedText: "returns with \(key) locked",
                           lowIfErrorEndsProcess: ErrorExits.returnErrors(body, at: leaking, results: results, imports: ctx.imports))
        }
    }

    /// The root variable of a lock's path (`s` of `s.gate.mu`, of `&s.gate`).
    static func root(_ e: Expr) -> String? {
        switch e.unparenthesized {
        case .ident(let id): return id.name
        case .selector(let base, _): return root(base)
        case .unary(.and, let inner, _): return root(inner)
        default: return nil
        }
    }

    /// Methods of the enclosing method's receiver type whose first call on `<their receiver><rest
    /// of lockPath>` (in their body or in a literal they return, by source position) is `.unlock()`:
    /// they release a lock their caller holds (and may take it again later for their own use). Empty outside methods, or when the lock's path
    /// does not start at the receiver.
    static func releasingMethods(of ctx: CheckContext, lockPath: String, unlock: String, lock: String) -> Set<String> {
        guard let receiverField = ctx.unit.receiver, let receiverName = receiverField.names.first?.name,
              let type = PackageFacts.receiverTypeName(receiverField.type),
              lockPath.hasPrefix(receiverName + ".") else { return [] }
        let rest = lockPath.dropFirst(receiverName.count)
        // Every lock site of the type's methods asks the same question: answer it once per package.
        let memoKey = "\(type)\(rest) \(unlock) \(lock)"
        if let known = ctx.package.releasingMethods.byKey[memoKey] { return known }
        var out = Set<String>()
        defer { ctx.package.releasingMethods.byKey[memoKey] = out }
        let candidates = ctx.package.methods.filter { key, method in
            key.hasPrefix(type + ".") && method.decl.body != nil && (method.decl.receiver?.names.first.map { $0.name != "_" } ?? false)
        }
        // The members of `out` that give the lock up on every path (`endsReleased`).
        var final = Set<String>()
        // A method whose first act on the lock is to call one of `final`, and which gives the
        // lock up on every path, releases it too (gopls's `Promise.run` starts its worker, then
        // `return p.wait(ctx)`, which unlocks): repeat until no method is added.
        var grew = true
        while grew {
            grew = false
            for (_, method) in candidates where !out.contains(method.decl.name.name) {
                guard let body = method.decl.body, let r = method.decl.receiver?.names.first?.name else { continue }
                // The first of its calls on the lock, in source order, must be the unlock: a method
                // that takes the lock itself first is not releasing its caller's.
                let first = firstLockCall(in: body, on: r + rest, unlock: unlock, lock: lock)
                if first == unlock {
                    out.insert(method.decl.name.name); grew = true
                    if endsReleased(body, on: r + rest, unlock: unlock, lock: lock) { final.insert(method.decl.name.name) }
                    continue
                }
                // Found through another: both must give the lock up for good on every path (a
                // helper that drops the lock to wait and takes it back is no hand-over).
                let snapshot = final
                let callsReleaser: (Call) -> Bool = { c in
                    guard case .selector(let base, let m) = c.fun.unparenthesized, base.unparenthesized.identName == r else { return false }
                    return snapshot.contains(m.name)
                }
                if firstLockCall(in: body, on: r + rest, unlock: unlock, lock: lock, releases: callsReleaser) == unlock,
                   endsReleased(body, on: r + rest, unlock: unlock, lock: lock, releases: callsReleaser) {
                    out.insert(method.decl.name.name); final.insert(method.decl.name.name); grew = true
                }
            }
        }
        return out
    }

    /// Local names assigned (any position) from a call `test` accepts: `defer name()` of one
    /// of them calls a function that call returned.
    static func deferredResults(_ body: [Stmt], _ test: (Call) -> Bool) -> Set<String> {
        var out = Set<String>()
        forEachStatement(body) { s, _ in
            guard case .assign(let lhs, _, let rhs, _) = s, rhs.count == 1, let c = Lint.call(rhs[0]), test(c) else { return }
            for l in lhs { if let name = l.identName, name != "_" { out.insert(name) } }
        }
        return out
    }

    /// The methods of `releasingMethods` that never take the lock (`Lock` or `RLock` on it
    /// anywhere in their body) and are not named like an unlock wrapper: workers that end a hold
    /// someone else took.
    static func workerReleasers(of ctx: CheckContext, lockPath: String, unlock: String, lock: String) -> Set<String> {
        let releasing = releasingMethods(of: ctx, lockPath: lockPath, unlock: unlock, lock: lock)
        guard !releasing.isEmpty, let receiverField = ctx.unit.receiver, let receiverName = receiverField.names.first?.name,
              let type = PackageFacts.receiverTypeName(receiverField.type) else { return [] }
        let rest = lockPath.dropFirst(receiverName.count)
        return releasing.filter { name in
            guard !name.lowercased().contains("unlock"), let decl = ctx.package.methods["\(type).\(name)"]?.decl,
                  let body = decl.body, let r = decl.receiver?.names.first?.name else { return false }
            let path = r + rest
            return !body.statements.contains { s in
                Walk.contains(s) { x in
                    guard case .call(let c) = x, c.args.isEmpty, let (target, m) = Lint.methodCall(c) else { return false }
                    return (m == "Lock" || m == "RLock") && Lint.text(target) == path
                }
            }
        }
    }

    /// Locals `x` with a `defer x.Clean()` (or `Cleanup`, `Run`) among the body's top-level
    /// statements: a cleanup object that runs what was registered with it.
    static func deferredReceivers(_ body: [Stmt]) -> Set<String> {
        var out = Set<String>()
        for s in body {
            if case .deferCall(let c, _) = s, case .selector(let base, let run) = c.fun.unparenthesized,
               ["Clean", "Cleanup", "Run"].contains(run.name), let name = base.unparenthesized.identName { out.insert(name) }
        }
        return out
    }

    /// The locals that leave the function with its results: named results, and names returned as
    /// a whole value (`return ds, err`) by a return outside function literals.
    static func returnedLocals(_ body: [Stmt], results: [Field]) -> Set<String> {
        var out = Set(results.flatMap { $0.names.map(\.name) })
        forEachStatement(body) { s, _ in
            guard case .returnStmt(let values, _) = s else { return }
            for value in values { if let name = value.unparenthesized.identName { out.insert(name) } }
        }
        return out
    }

    /// Whether the body calls `<key>.DowngradeLock()` anywhere (function literals included).
    static func downgrades(_ key: String, _ body: [Stmt]) -> Bool {
        body.contains { s in
            Walk.contains(s) { x in
                guard case .call(let c) = x, c.args.isEmpty, let (r, m) = Lint.methodCall(c) else { return false }
                return m == "DowngradeLock" && Lint.text(r) == key
            }
        }
    }

    /// The returns inside the bodies of select cases that send (`case ch <- v: …; return`).
    static func returnsInSendCases(_ body: [Stmt]) -> Set<Int32> {
        var out = Set<Int32>()
        forEachStatement(body) { s, _ in
            guard case .select(let clauses, _) = s else { return }
            for clause in clauses {
                guard case .send? = clause.comm else { continue }
                forEachStatement(clause.body) { r, _ in if case .returnStmt(_, let p) = r { out.insert(p) } }
            }
        }
        return out
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
