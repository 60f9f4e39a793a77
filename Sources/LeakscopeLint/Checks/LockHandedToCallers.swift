import LeakscopeGoSource

/// LS006's caller protocol: a function that returns with a lock held on some path (a cache miss
/// that keeps the lock "for the caller to fill") while every one of its callers in the package
/// unlocks that lock after the call, itself or through a method that releases it. The lock then
/// belongs to the caller from the return on.
enum LockHandedToCallers {
    /// Whether the function of `ctx` has callers in the package and each of them calls
    /// `<lock>.<unlock>()` after the call, where `<lock>` is `lockPath` seen from the caller: a
    /// package variable as is, a path from the method's receiver (`c.mu`) rebased on the
    /// caller's call base (`cache.mu` for `cache.lookup(…)`). Only for declared functions.
    static func holds(_ ctx: CheckContext, lockPath: String, unlock: String) -> Bool {
        guard !ctx.unit.isLiteral, let name = ctx.unit.name.split(separator: ".").last.map(String.init) else { return false }
        let receiverName = ctx.unit.receiver?.names.first?.name
        let rest: Substring?
        if let receiverName, lockPath.hasPrefix(receiverName + ".") {
            rest = lockPath.dropFirst(receiverName.count)
        } else if ctx.unit.receiver == nil, !lockPath.contains(".") {
            rest = nil  // a package-level lock: the same name in every caller
        } else {
            return false
        }
        // A caller may release through a method of the type that unlocks without locking first
        // (`defer lc.releaseSenderLock()` after `lc.acquireSenderLock()`, lib/pq's listener).
        let releasing = rest == nil ? []
            : LockRelease.releasingMethods(of: ctx, lockPath: lockPath, unlock: unlock, lock: unlock == "RUnlock" ? "RLock" : "Lock")
        var callers = 0
        var released = 0
        func visit(_ body: Block) {
            var calls: [(pos: Int32, lock: String)] = []
            var unlocks: [(pos: Int32, lock: String)] = []
            func visitExpr(_ x: Expr) -> Bool {
                guard case .call(let c) = x else { return true }
                if let rest {
                    if case .selector(let base, let m) = c.fun.unparenthesized, m.name == name, ctx.unit.receiver != nil,
                       let baseText = Lint.text(base) {
                        calls.append((c.fun.pos, baseText + rest))
                    }
                } else if c.fun.identName == name {
                    calls.append((c.fun.pos, lockPath))
                }
                if c.args.isEmpty, let (target, method) = Lint.methodCall(c), method == unlock, let text = Lint.text(target) {
                    unlocks.append((c.fun.pos, text))
                }
                if let rest, case .selector(let base, let m) = c.fun.unparenthesized, releasing.contains(m.name),
                   let baseText = Lint.text(base) {
                    unlocks.append((c.fun.pos, baseText + rest))
                }
                return true
            }
            // A deferred literal runs when the caller returns: its unlock releases the lock the
            // callee handed over (gmqtt's `registerClient` unlocks in `defer func() { … }()`).
            func scan(_ statements: [Stmt]) {
                for statement in statements {
                    Walk.statements(statement, intoFuncLits: false, { s in
                        if case .deferCall(let d, _) = s, case .funcLit(_, let literal) = d.fun.unparenthesized { scan(literal.statements) }
                        return true
                    }, visitExpr)
                }
            }
            scan(body.statements)
            for call in calls {
                callers += 1
                if unlocks.contains(where: { $0.pos > call.pos && $0.lock == call.lock }) { released += 1 }
            }
        }
        for decl in ctx.package.functions.values { if let body = decl.body { visit(body) } }
        for method in ctx.package.methods.values { if let body = method.decl.body { visit(body) } }
        return callers > 0 && released == callers
    }

    /// Whether the doc comment of the context's declared function says its caller releases the
    /// lock at `lockPath` (libovsdb's `waitForCacheConsistent`: "RLocks the database's cache
    /// before returning; caller must always unlock"; docs/LINT.md, session 29): a hand-over by
    /// design, the callers perhaps in other packages or reached through a parameter. The comment
    /// must name the lock (`statesHandOver`).
    static func documented(_ ctx: CheckContext, lockPath: String) -> Bool {
        guard !ctx.unit.isLiteral,
              let decl = ctx.file.syntax?.decls.lazy.compactMap({ d -> FuncDecl? in
                  if case .function(let f) = d, f.body?.lbrace == ctx.unit.body.lbrace { return f }
                  return nil
              }).first else { return false }
        // The comment lines right above the declaration, nothing but white space between them.
        var text = ""
        var end = Int(decl.pos)
        for comment in ctx.file.comments.reversed() where Int(comment.end) <= end {
            let gap = ctx.file.bytes[Int(comment.end)..<end]
            guard gap.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }), gap.filter({ $0 == 0x0A }).count <= 1 else { break }
            text = ctx.file.text(of: comment) + " " + text
            end = Int(comment.start)
        }
        return statesHandOver(text, lock: String(lockPath.split(separator: ".").last ?? ""))
    }

    /// Whether `comment` names the lock and a sentence of it obliges the caller, without a
    /// condition, to release: "the caller must (always) unlock", "callers are responsible for
    /// releasing", "must be unlocked by the caller". Not a sentence that only mentions both
    /// ("the caller never unlocks", "no way for the caller to release"), one that says "must
    /// not", nor one with a condition ("on success the caller must unlock": the error paths
    /// are the function's). The lock is named by its field's stem (`cache` for `cacheMutex`),
    /// or, for a bare `mu`, `mutex` or `lock`, by a word of locking ("read-locks", "locked").
    static func statesHandOver(_ comment: String, lock: String) -> Bool {
        let lower = comment.lowercased()
        var stem = lock.lowercased()
        for suffix in ["mutex", "mtx", "mu", "lock", "rw"] where stem.hasSuffix(suffix) {
            stem = String(stem.dropLast(suffix.count))
            break
        }
        while stem.hasSuffix("_") { stem.removeLast() }
        let names = stem.isEmpty ? lower.replacing("unlock", with: "").contains("lock") : lower.contains(stem)
        guard names else { return false }
        let duties = ["caller must", "callers must", "caller should", "callers should", "caller is responsible",
                      "callers are responsible", "caller has to", "callers have to", "caller needs to", "callers need to"]
        let conditions = ["success", "succeed", "if ", "when ", "unless", "error", "fail"]
        for sentence in lower.split(whereSeparator: { $0 == "." || $0 == ";" }) {
            if conditions.contains(where: { sentence.contains($0) }) { continue }
            if sentence.contains("unlocked by the caller") || sentence.contains("released by the caller") { return true }
            for duty in duties {
                guard let found = sentence.firstRange(of: duty) else { continue }
                let rest = sentence[found.upperBound...]
                guard let verb = rest.firstRange(of: "unlock") ?? rest.firstRange(of: "release") else { continue }
                let between = rest[..<verb.lowerBound]
                if [" not ", "never", "n't", " no "].contains(where: { (" " + between).contains($0) }) { continue }
                return true
            }
        }
        return false
    }
}
