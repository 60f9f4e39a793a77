import LeakscopeGoSource

/// Two more ways LS006's function gives its held lock to someone who releases it: through a
/// result that carries the mutex, and through an argument to a package function that unlocks it.
extension LockRelease {
    /// The returns after `lockAt` that give the caller the locked mutex itself: `return …, &key, …`,
    /// or a bare return that every path reaches through `r = &key`, `r` a named result (jocko's
    /// `waitResponse` sets `lock = &c.rlock` and returns; its caller unlocks `lock` once it has
    /// read the response).
    static func returnsHandingOutMutex(_ body: [Stmt], key: String, lockAt: Int32, results: [Field]) -> Set<Int32> {
        func isMutexAddress(_ e: Expr) -> Bool {
            guard case .unary(.and, let inner, _) = e.unparenthesized else { return false }
            return Lint.text(inner) == key
        }
        let named = Set(results.flatMap { $0.names.map(\.name) })
        func setsResult(_ s: Stmt) -> Bool {
            guard case .assign(let lhs, .assign, let rhs, let p) = s, p > lockAt, lhs.count == rhs.count else { return false }
            return zip(lhs, rhs).contains { l, r in l.identName.map(named.contains) == true && isMutexAddress(r) }
        }
        var out = Set<Int32>()
        forEachStatement(body) { s, frames in
            guard case .returnStmt(let values, let p) = s, p > lockAt else { return }
            // A bare return counts only after an assignment every path to it passes: one earlier
            // in its own statement list or in an enclosing one.
            let dominated = values.isEmpty && frames.contains { frame in frame.list.prefix(frame.index).contains(where: setsResult) }
            if values.contains(where: isMutexAddress) || dominated { out.insert(p) }
        }
        return out
    }

    /// Whether `call` hands the lock's owner (`w` of `w.mux`) to a function or method of the
    /// package that gives up `<parameter><rest>` for good (`endsReleased`): the callee releases the lock
    /// its caller took (wazero's `Wait32` locks `w.mux` and ends with `return m.wait(w, timeout)`,
    /// which unlocks it before it blocks). Only callees declared in the package: a named function,
    /// or a method called on the enclosing method's receiver (`receiver`, the context's unit's
    /// when nil). A callee may hand the lock on the same way, up to `LintThresholds.handoverDepth`
    /// calls deep (since session 38: multigres's `setEntry` unlocks or calls `processDeque`).
    /// The names are matched as written, so (session 38's two code reviews): the function that
    /// locked must not give the owner another value after the lock (`lockedAt`: `sh = next`
    /// hands on the wrong shard); a callee must keep its parameter (never assign or declare it
    /// again); and one that hands it on must keep its own receiver, not hide the helper's name
    /// (by a local or a parameter), hold the lock one field deep (`sh.mu`: a deeper path such as
    /// `j.active.mu` may be re-pointed by any call it makes), and hand on to a helper no other
    /// platform's file of its directory names (a `//go:build !linux` twin that does not unlock).
    static func passesLockToReleaser(_ call: Call, owner: String, rest: Substring, unlock: String, lock: String, _ ctx: CheckContext,
                                     lockedAt: Int32? = nil, caller: FuncDecl? = nil, depth: Int = 1) -> Bool {
        guard let index = call.args.firstIndex(where: { argument in
            var a = argument.unparenthesized
            if case .unary(.and, let inner, _) = a { a = inner.unparenthesized }
            return a.identName == owner
        }) else { return false }
        // In a callee handing the lock on (`caller`), the names it calls by.
        let scope = caller?.body?.statements ?? []
        let callerNames = Set(((caller?.receiver.map { [$0] } ?? []) + (caller?.type.params ?? [])).flatMap { $0.names.map(\.name) })
        let callee: FuncDecl?
        switch call.fun.unparenthesized {
        case .ident(let f):
            guard !Lint.declares(f.name, in: scope), !callerNames.contains(f.name) else { return false }
            callee = ctx.package.functions[f.name]
        case .selector(let base, let m):
            let receiver = caller == nil ? ctx.unit.receiver : caller?.receiver
            guard let receiver, let name = receiver.names.first?.name, base.unparenthesized.identName == name,
                  !rebinds(name, in: scope), let type = PackageFacts.receiverTypeName(receiver.type) else { return false }
            callee = ctx.package.methods["\(type).\(m.name)"]?.decl
        default: callee = nil
        }
        guard let callee, let body = callee.body else { return false }
        // Walked only once a callee of the package is found: most calls given the owner are not.
        if let lockedAt, rebinds(owner, in: ctx.unit.body.statements, after: lockedAt) { return false }
        if caller != nil, BodyClose.namedInFilesNotLoaded(callee.name.name, ctx) { return false }
        let parameters = callee.type.params.flatMap { field in field.names.map(\.name) }
        // Only unnamed-free, non-variadic lists line up with the arguments one to one.
        guard parameters.count == callee.type.params.reduce(0, { $0 + max($1.names.count, 1) }),
              !callee.type.params.contains(where: \.isVariadic), index < parameters.count, parameters[index] != "_" else { return false }
        let parameter = parameters[index]
        guard !rebinds(parameter, in: body.statements) else { return false }
        // The callee's own hand-overs, of the same parameter to a function that gives it up.
        let oneFieldDeep = rest.split(separator: ".").count == 1
        let handsOn: (Call) -> Bool = { inner in
            depth < LintThresholds.handoverDepth && oneFieldDeep
                && passesLockToReleaser(inner, owner: parameter, rest: rest, unlock: unlock, lock: lock, ctx,
                                        caller: callee, depth: depth + 1)
        }
        return givesUp(body, on: parameter + rest, unlock: unlock, lock: lock, releases: handsOn)
    }

    /// Whether `statements` give `name` another value or declare it again, literals included.
    static func rebinds(_ name: String, in statements: [Stmt]) -> Bool {
        LostCancel.bindingCount(statements, name) > 0 || Lint.declares(name, in: statements)
    }

    /// Whether a statement of `statements` past offset `after` gives `name` a value, literals
    /// included.
    static func rebinds(_ name: String, in statements: [Stmt], after: Int32) -> Bool {
        var found = false
        for statement in statements where !found {
            Walk.statements(statement, intoFuncLits: true, { s in
                if s.pos > after, LostCancel.binds(s, name) { found = true }
                return !found
            }, { _ in !found })
        }
        return found
    }

    /// Whether a function entered holding the mutex at `path` releases it as its first act on it
    /// and gives it up for good (`endsReleased`): a callee that takes over its caller's hold. A
    /// call `releases` accepts counts as an unlock.
    static func givesUp(_ body: Block, on path: String, unlock: String, lock: String,
                        releases: @escaping (Call) -> Bool = { _ in false }) -> Bool {
        firstLockCall(in: body, on: path, unlock: unlock, lock: lock, releases: releases) == unlock
            && endsReleased(body, on: path, unlock: unlock, lock: lock, releases: releases)
    }

    /// Whether a function entered holding the mutex at `path` gives it up for good: every path
    /// through `body` passes an unlock before it returns or ends (a `defer` of one counts), a
    /// call `releases` accepts counting as one, and every later `Lock` of it outside `go`
    /// literals is followed in its own statement list by an unlock or a deferred unlock (a
    /// helper that drops the lock to wait, like `sync.Cond.Wait`, and takes it back is not one:
    /// wazero's `wait` unlocks, blocks, then takes the lock only around its own removal).
    static func endsReleased(_ body: Block, on path: String, unlock: String, lock: String,
                             releases: @escaping (Call) -> Bool = { _ in false }) -> Bool {
        func isCall(_ x: Expr, _ name: String) -> Bool { lockMethod(x, on: path) == name }
        func released(_ s: Stmt) -> Bool {
            Walk.contains(s, intoFuncLits: false) { x in
                if isCall(x, unlock) { return true }
                if case .call(let c) = x { return releases(c) }
                return false
            }
        }
        var walker = HeldWalker(releases: released,
                                deferReleases: { call in Walk.contains(.call(call)) { isCall($0, unlock) } || releases(call) },
                                exprReleases: { x in Walk.contains(x, intoFuncLits: false) { isCall($0, unlock) } })
        let end = walker.walkList(body.statements, from: 0, held: true)
        guard walker.leakingReturns.isEmpty, end.fall != true else { return false }
        // A method of the lock's owner that locks by another name (`sh.lock()`, `s.lockShard()`)
        // takes it again too (session 38's review).
        let owner = path.split(separator: ".").first.map(String.init) ?? path
        func locksByWrapper(_ x: Expr) -> Bool {
            guard case .call(let c) = x, let (target, method) = Lint.methodCall(c), Lint.text(target) == owner else { return false }
            let lower = method.lowercased()
            return lower.contains("lock") && !lower.contains("unlock")
        }
        var balanced = true
        forEachStatement(body.statements) { s, frames in
            guard balanced, case .expr(let x) = s, isCall(x, lock) || locksByWrapper(x), let frame = frames.last else { return }
            balanced = frame.list.dropFirst(frame.index + 1).contains { later in
                if case .deferCall(let d, _) = later { return isCall(.call(d), unlock) }
                if case .expr(let y) = later { return isCall(y, unlock) }
                return false
            }
        }
        return balanced
    }

    /// The method name (`unlock` or `lock`) of the first call, in source order, of either on the
    /// mutex at `path` in `body`, counting a call `releases` accepts as the unlock; nil when it
    /// calls neither. Literals count (a returned closure that unlocks), except those started
    /// with `go`: another goroutine's lock is a hold of its own, taken later.
    static func firstLockCall(in body: Block, on path: String, unlock: String, lock: String,
                              releases: (Call) -> Bool = { _ in false }) -> String? {
        var first: (pos: Int32, name: String)?
        for statement in body.statements {
            Walk.statements(statement, intoFuncLits: true, { s in
                if case .go(let g, _) = s, case .funcLit = g.fun.unparenthesized { return false }
                return true
            }, { x in
                guard case .call(let c) = x, c.fun.pos < (first?.pos ?? .max) else { return true }
                if let name = lockMethod(x, on: path), name == unlock || name == lock {
                    first = (c.fun.pos, name)
                } else if releases(c) {
                    first = (c.fun.pos, unlock)
                }
                return true
            })
        }
        return first?.name
    }

    /// The method name of `x` when it is an argument-less method call on the mutex at `path`
    /// (`c.mu.Unlock()` → `Unlock`).
    static func lockMethod(_ x: Expr, on path: String) -> String? {
        guard case .call(let c) = x, c.args.isEmpty, let (target, method) = Lint.methodCall(c), Lint.text(target) == path else { return nil }
        return method
    }
}
