import LeakscopeGoSource

/// Two more ways LS006's function gives its held lock to someone who releases it: through a
/// result that carries the mutex, and through an argument to a package function that unlocks it.
extension LockRelease {
    /// The returns after `lockAt` that give the caller the locked mutex itself: `return …, &key, …`,
    /// or any return after `r = &key` where `r` is a named result (jocko's `waitResponse` sets
    /// `lock = &c.rlock` and returns; its caller unlocks `lock` once it has read the response).
    static func returnsHandingOutMutex(_ body: [Stmt], key: String, lockAt: Int32, results: [Field]) -> Set<Int32> {
        func isMutexAddress(_ e: Expr) -> Bool {
            guard case .unary(.and, let inner, _) = e.unparenthesized else { return false }
            return Lint.text(inner) == key
        }
        let named = Set(results.flatMap { $0.names.map(\.name) })
        var assignedAt: Int32?
        var out = Set<Int32>()
        forEachStatement(body) { s, _ in
            switch s {
            case .assign(let lhs, _, let rhs, let p) where p > lockAt && lhs.count == rhs.count:
                if zip(lhs, rhs).contains(where: { l, r in l.identName.map(named.contains) == true && isMutexAddress(r) }) {
                    assignedAt = min(assignedAt ?? p, p)
                }
            case .returnStmt(let values, let p) where p > lockAt:
                if values.contains(where: isMutexAddress) || (values.isEmpty && (assignedAt.map { $0 < p } ?? false)) {
                    out.insert(p)
                }
            default: break
            }
        }
        return out
    }

    /// Whether `call` hands the lock's owner (`w` of `w.mux`) to a function or method of the
    /// package whose first call on `<parameter><rest>` is the unlock: the callee releases the lock
    /// its caller took (wazero's `Wait32` locks `w.mux` and ends with `return m.wait(w, timeout)`,
    /// which unlocks it before it blocks). Only callees declared in the package: a named function,
    /// or a method called on the enclosing method's receiver.
    static func passesLockToReleaser(_ call: Call, owner: String, rest: Substring, unlock: String, lock: String, _ ctx: CheckContext) -> Bool {
        guard let index = call.args.firstIndex(where: { argument in
            var a = argument.unparenthesized
            if case .unary(.and, let inner, _) = a { a = inner.unparenthesized }
            return a.identName == owner
        }) else { return false }
        let callee: FuncDecl?
        switch call.fun.unparenthesized {
        case .ident(let f): callee = ctx.package.functions[f.name]
        case .selector(let base, let m):
            guard let receiver = ctx.unit.receiver, base.unparenthesized.identName == receiver.names.first?.name,
                  let type = PackageFacts.receiverTypeName(receiver.type) else { return false }
            callee = ctx.package.methods["\(type).\(m.name)"]?.decl
        default: callee = nil
        }
        guard let callee, let body = callee.body else { return false }
        let parameters = callee.type.params.flatMap { field in field.names.map(\.name) }
        // Only unnamed-free, non-variadic lists line up with the arguments one to one.
        guard parameters.count == callee.type.params.reduce(0, { $0 + max($1.names.count, 1) }),
              !callee.type.params.contains(where: \.isVariadic), index < parameters.count, parameters[index] != "_" else { return false }
        return firstLockCall(in: body, on: parameters[index] + rest, unlock: unlock, lock: lock) == unlock
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
                if c.args.isEmpty, let (target, name) = Lint.methodCall(c), name == unlock || name == lock, Lint.text(target) == path {
                    first = (c.fun.pos, name)
                } else if releases(c) {
                    first = (c.fun.pos, unlock)
                }
                return true
            })
        }
        return first?.name
    }
}
