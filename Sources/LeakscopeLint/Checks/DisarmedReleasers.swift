import LeakscopeGoSource

extension LockRelease {
    /// Local closures that release the lock for as long as it is held, and are swapped for one
    /// that leaves it alone once the function has released it by hand: etcd's `lessor.Renew`
    /// (`unlock := func() { le.mu.Unlock() }; defer func() { unlock() }()`, later
    /// `le.mu.Unlock(); unlock = func() {}`), curio's `cleanup`, swapped for a closure releasing
    /// the next lock after `s.inSDR.Unlock()`. Calling such a closure, or deferring a call of it,
    /// releases the lock wherever it is held.
    ///
    /// The lock statement (`key.method()`) must be the function's only lock of `key`, standing at
    /// its top level; the closure is defined (`:=`) after it at the top level with a literal that
    /// unlocks as a statement of its own (`releases`). Every other assignment of the name assigns a literal that either
    /// unlocks too or never names `key`, and the latter only after a direct unlock standing earlier
    /// in the same statement list (`isDirectUnlock`). The name is never declared with `var`, and
    /// used only in those assignments, in calls standing as statements after the definition, and in
    /// `defer name()` or `defer func() { name() }()`: not taken by address, handed on, called from a
    /// goroutine or another literal, shadowed by a literal's parameter, or named before it is
    /// defined (a package function of that name). No `goto` or label may skip the manual unlock.
    /// (A code review's shapes, session 37: `DisarmedReleaserTests`.)
    static func disarmedReleasers(_ body: [Stmt], key: String, method: String, releases: (Expr) -> Bool,
                                  isDirectUnlock: (Expr) -> Bool) -> Set<String> {
        func isLock(_ x: Expr) -> Bool {
            guard case .call(let c) = x, c.args.isEmpty, let (r, m) = Lint.methodCall(c) else { return false }
            return m == method && Lint.text(r) == key
        }
        // The top-level statements first: most functions have no such closure, and the walks
        // over the whole body below are for those that do.
        guard let lockIndex = body.firstIndex(where: { st in
            if case .expr(let e) = st { return isLock(e) }
            return false
        }) else { return [] }
        var candidates: [String: Int] = [:]  // name → top-level index of its definition
        for (index, st) in body.enumerated().dropFirst(lockIndex + 1) {
            if case .assign(let lhs, .define, let rhs, _) = st, lhs.count == 1, rhs.count == 1, let name = lhs[0].identName,
               case .funcLit = rhs[0].unparenthesized, releases(rhs[0]) {
                candidates[name] = index
            }
        }
        guard !candidates.isEmpty, !Lint.jumps(body) else { return [] }
        var locks = 0
        for s in body { Walk.statements(s, { _ in true }, { x in if isLock(x) { locks += 1 }; return true }) }
        guard locks == 1 else { return [] }
        func namesKey(_ e: Expr) -> Bool { Walk.contains(e) { Lint.text($0) == key } }
        var rejected = Set<String>()
        // Assignments outside literals; one inside a literal is a use `usesBeyondCallsAndSwaps` rejects.
        forEachStatement(body) { st, frames in
            guard case .assign(let lhs, let op, let rhs, _) = st else { return }
            for target in lhs {
                guard let name = target.identName, candidates[name] != nil else { continue }
                if frames.count == 1, frames[0].index == candidates[name], op == .define { continue }
                guard op == .assign, lhs.count == 1, rhs.count == 1, case .funcLit = rhs[0].unparenthesized else {
                    rejected.insert(name)
                    continue
                }
                if releases(rhs[0]) { continue }
                let frame = frames[frames.count - 1]
                let unlockedBefore = frame.list[..<frame.index].contains { earlier in
                    if case .expr(let e) = earlier { return isDirectUnlock(e) }
                    return false
                }
                if namesKey(rhs[0]) || !unlockedBefore { rejected.insert(name) }
            }
        }
        // `var name …` anywhere: a second variable of that name.
        for s in body {
            Walk.statements(s, { st in
                if case .decl(let declaration) = st {
                    for spec in declaration.specs {
                        if case .value(let names, _, _) = spec { for n in names where candidates[n.name] != nil { rejected.insert(n.name) } }
                    }
                }
                return true
            }, { _ in true })
        }
        for (name, defined) in candidates where !rejected.contains(name) {
            if usesBeyondCallsAndSwaps(body, name: name, definedAt: defined) { rejected.insert(name) }
        }
        return Set(candidates.keys).subtracting(rejected)
    }

    /// Whether `name` appears anywhere but in its assignments outside literals, in calls standing
    /// as statements after its definition (top-level statement `definedAt`), and in deferred
    /// `name()` or `func() { name() }()`.
    private static func usesBeyondCallsAndSwaps(_ body: [Stmt], name: String, definedAt: Int) -> Bool {
        func callsName(_ c: Call) -> Bool { c.args.isEmpty && c.fun.identName == name }
        var allowed = 0
        forEachStatement(body) { st, frames in
            let afterDefinition = frames[0].index > definedAt
            switch st {
            case .assign(let lhs, _, _, _):
                allowed += lhs.filter { $0.identName == name }.count
            case .expr(.call(let c)) where afterDefinition && callsName(c):
                allowed += 1
            case .deferCall(let c, _) where afterDefinition:
                if callsName(c) { allowed += 1 }
                if case .funcLit(let type, let literal) = c.fun.unparenthesized, c.args.isEmpty, type.params.isEmpty,
                   literal.statements.count == 1, case .expr(.call(let inner)) = literal.statements[0], callsName(inner) {
                    allowed += 1
                }
            default: break
            }
        }
        var uses = 0
        for s in body {
            Walk.statements(s, { _ in true }, { x in
                if x.identName == name { uses += 1 }
                return true
            })
        }
        return uses != allowed
    }
}
