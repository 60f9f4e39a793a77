import LeakscopeGoSource

/// LS006: a lock of a value the function has just made, held at a `return` that drops the value.
/// Nothing else can reach that value, so nothing can ever wait on its lock (statshouse's
/// `NewHandler`: `h := &Handler{…}; h.mu.Lock(); if err != nil { return nil }`, session 39's clean
/// pass; opni's agent mutex, published only on success, session 33's). Counted only when nothing
/// could have taken the value before that return: it is a local the function's own body binds
/// once, to a composite literal or `new(T)` of a struct type of the package whose lock field is a
/// `sync.Mutex` or `sync.RWMutex` held by value (a pointer may be shared); every other mention
/// of it that may run before the return (anything written before the last such return, or inside
/// a loop around one), outside `return`s, reads or writes a field, or calls the lock's own methods
/// or a method of the package whose receiver goes nowhere (it too only reaches fields and such
/// methods), with no `&` of it or its fields, no method value, no function literal, no copy; and
/// the `return` does not name it.
enum FreshOwners {
    /// The lock's methods a value's own mention may call on the lock field.
    static let lockMethods: Set<String> = ["Lock", "Unlock", "RLock", "RUnlock", "TryLock", "TryRLock"]

    /// Of `leaking` (returns holding the lock `key`, a path `owner.field…`), those where the lock
    /// dies with the value `owner` names.
    static func dyingReturns(_ leaking: [Int32], owner: String, key: String, _ ctx: CheckContext) -> Set<Int32> {
        let body = ctx.unit.body.statements
        let path = key.split(separator: ".").map(String.init)
        guard !leaking.isEmpty, path.count == 2, path[0] == owner, !ctx.unit.signatureNames.contains(owner),
              let bound = binding(of: owner, in: body),
              let type = LocalTypes(ctx.unit).types[owner].flatMap(PackageFacts.receiverTypeName),
              let lockType = ctx.package.structFields[type]?[path[1]], ownsItsMutex(lockType, ctx) else { return [] }
        let leakingSet = Set(leaking)
        // The owner's mentions in the function's own returns: one holding the lock would hand
        // the value out with it.
        var inLeakingReturn = Set<Int32>()
        var inOtherReturn = Set<Int32>()
        for s in body {
            Walk.statements(s, intoFuncLits: false, { st in
                if case .returnStmt(let results, let p) = st {
                    for r in results {
                        Walk.expr(r, intoFuncLits: false) { e in
                            if case .ident(let id) = e, id.name == owner {
                                if leakingSet.contains(p) { inLeakingReturn.insert(id.pos) } else { inOtherReturn.insert(id.pos) }
                            }
                            return true
                        }
                    }
                }
                return true
            }, { _ in true })
        }
        let scan = Uses(of: owner, in: body, type: type, lockField: path[1], ctx, depth: 0, seen: [])
        let (literals, mentions, vouched, bad) = (scan.literals, scan.mentions, scan.vouched, scan.bad)
        guard !bad else { return [] }
        // What comes after the last of these returns, outside loops around them, runs only once
        // they are behind: it may hand the value on (statshouse's handler starts its metrics
        // closure on the success path).
        let last = leaking.max()!
        var loops: [ClosedRange<Int32>] = []
        for s in body {
            Walk.statements(s, intoFuncLits: false, { st in
                if case .forStmt(_, _, _, let b, _) = st { loops.append(b.lbrace...b.rbrace) }
                if case .rangeStmt(_, _, _, _, let b, _) = st { loops.append(b.lbrace...b.rbrace) }
                return true
            }, { _ in true })
        }
        let laterIsLater = !Lint.hasGoto(body) && !loops.contains { loop in leaking.contains { loop.contains($0) } }
        for p in mentions where p != bound {
            if inLeakingReturn.contains(p) { return [] }
            if laterIsLater && p > last { continue }
            if literals.contains(where: { $0.contains(p) }) { return [] }
            if !inOtherReturn.contains(p) && !vouched.contains(p) { return [] }
        }
        return leakingSet
    }

    /// The position of `owner := &T{…}` (or `T{…}`, `new(T)`, `var owner T`), when that is the
    /// only statement of `body` (literals included) that binds or assigns `owner`.
    static func binding(of owner: String, in body: [Stmt]) -> Int32? {
        var found: Int32?
        var count = 0
        for s in body {
            Walk.statements(s, intoFuncLits: true, { st in
                switch st {
                case .assign(let lhs, let op, let rhs, _):
                    guard let index = lhs.firstIndex(where: { $0.identName == owner }) else { break }
                    count += 1
                    if op == .define, lhs.count == 1, rhs.count == 1, isFresh(rhs[0]) { found = lhs[index].pos }
                case .decl(let g):
                    for case .value(let names, let type, let values) in g.specs {
                        guard let name = names.first(where: { $0.name == owner }) else { continue }
                        count += 1
                        if names.count == 1, (values.isEmpty && type != nil) || (values.count == 1 && isFresh(values[0])) { found = name.pos }
                    }
                case .rangeStmt(let key, let value, _, _, _, _):
                    if key?.identName == owner || value?.identName == owner { count += 2 }
                default:
                    break
                }
                return true
            }, { _ in true })
        }
        return count == 1 ? found : nil
    }

    /// Whether a field of type `type` holds its mutex by value (`sync.Mutex`, `sync.RWMutex`): a
    /// `*sync.Mutex` or a `sync.Locker` may be shared with other values, made with `mu: shared`.
    static func ownsItsMutex(_ type: Expr, _ ctx: CheckContext) -> Bool {
        guard case .selector(.ident(let pkg), let name) = type.unparenthesized, ctx.imports[pkg.name] == "sync" else { return false }
        return name.name == "Mutex" || name.name == "RWMutex"
    }

    /// `&T{…}`, `T{…}` or `new(T)`: a value no one else holds yet.
    static func isFresh(_ e: Expr) -> Bool {
        var x = e.unparenthesized
        if case .unary(.and, let inner, _) = x { x = inner.unparenthesized }
        if case .compositeLit = x { return true }
        if case .call(let c) = x, c.fun.identName == "new", c.args.count == 1 { return true }
        return false
    }

    /// Whether `e` names `name` anywhere (function literals included).
    static func mentions(_ e: Expr, _ name: String) -> Bool {
        Walk.contains(e) { $0.identName == name }
    }

    /// The variable at the root of `e` (`h` of `h.a.b`, `h.list[i]`).
    static func root(_ e: Expr) -> String? {
        switch e.unparenthesized {
        case .ident(let id): return id.name
        case .selector(let base, _): return root(base)
        case .index(let base, _, _): return root(base)
        default: return nil
        }
    }

    /// Whether the package's method `type.method` keeps its receiver to itself: the receiver is
    /// named only to reach a declared field (a function-typed one may be called; the lock field
    /// only to call its lock methods) or to call a method that does the same (at most
    /// `LintThresholds.freshOwnerDepth` calls deep), never under `&`, as a method value, in a
    /// function literal, a `go` statement or as a whole value.
    static func receiverStaysHome(type: String, method: String, lockField: String, _ ctx: CheckContext, depth: Int, seen: Set<String>) -> Bool {
        let key = type + "." + method
        guard depth < LintThresholds.freshOwnerDepth, !seen.contains(key), let decl = ctx.package.methods[key]?.decl,
              let body = decl.body else { return false }
        guard let receiver = decl.receiver?.names.first?.name, receiver != "_" else { return true }
        let scan = Uses(of: receiver, in: body.statements, type: type, lockField: lockField, ctx, depth: depth + 1, seen: seen.union([key]))
        return !scan.bad && scan.mentions.allSatisfy { p in scan.vouched.contains(p) && !scan.literals.contains { $0.contains(p) } }
    }

    /// How a function names a value `name` of the package's struct type `type`, whose lock
    /// field is `lockField`: every mention, those that only reach a declared field or call a
    /// method that keeps its receiver (`vouched`), the function literals' ranges, and whether a
    /// use hands it (or its lock) on for certain (`bad`: `&`, a `go` statement, a method value
    /// of the lock, a method or field the type does not declare, such as an embedded struct's).
    struct Uses {
        var literals: [ClosedRange<Int32>] = []
        var mentions: [Int32] = []
        var vouched = Set<Int32>()
        var bad = false

        init(of name: String, in body: [Stmt], type: String, lockField: String, _ ctx: CheckContext, depth: Int, seen: Set<String>) {
            let fields = ctx.package.structFields[type] ?? [:]
            var lockMentions = Set<Int32>()
            var lockCalls = Set<Int32>()
            for s in body {
                Walk.statements(s, intoFuncLits: true, { st in
                    // A goroutine given the value may wait on its lock, for ever once it is dropped.
                    if case .go(let g, _) = st, FreshOwners.mentions(.call(g), name) { bad = true }
                    return !bad
                }, { e in
                    switch e {
                    case .funcLit(_, let literal):
                        literals.append(literal.lbrace...literal.rbrace)
                    case .ident(let id) where id.name == name:
                        mentions.append(id.pos)
                    case .unary(.and, let operand, _) where FreshOwners.root(operand) == name:
                        bad = true
                    case .call(let c):
                        if case .selector(.ident(let x), let m) = c.fun.unparenthesized, x.name == name {
                            if ctx.package.methods[type + "." + m.name] != nil {
                                if FreshOwners.receiverStaysHome(type: type, method: m.name, lockField: lockField, ctx, depth: depth, seen: seen) {
                                    vouched.insert(x.pos)
                                } else { bad = true }
                            } else if fields[m.name] == nil { bad = true }
                        } else if case .selector(.selector(.ident(let x), let f), let m) = c.fun.unparenthesized, x.name == name,
                                  f.name == lockField {
                            if FreshOwners.lockMethods.contains(m.name) { lockCalls.insert(x.pos) } else { bad = true }
                        }
                    case .selector(.ident(let x), let f) where x.name == name:
                        if f.name == lockField { lockMentions.insert(x.pos) }
                        else if fields[f.name] != nil { vouched.insert(x.pos) }
                        else if ctx.package.methods[type + "." + f.name] == nil { bad = true }
                    default:
                        break
                    }
                    return !bad
                })
            }
            // The lock field only as the receiver of a call of its own methods (not `x.mu.Lock`
            // kept as a value, nor `x.mu` handed on).
            if !lockMentions.isSubset(of: lockCalls) { bad = true }
            vouched.formUnion(lockCalls)
        }
    }
}
