import LeakscopeGoSource

/// LS006's unlock-once flags: `unlocked := false`, a callback that unlocks early and sets
/// `unlocked = true` right after, and `if !unlocked { mu.Unlock() }` once the call is back. On
/// every path the lock is released exactly once, so that `if` settles it.
struct UnlockFlags {
    /// Local booleans set to `false` after the lock is taken, every `= true` of which directly
    /// follows an unlock of this lock in the same statement list (closures included), and
    /// assigned nothing but those two literals.
    private(set) var flags: Set<String> = []
    private let isUnlock: (Expr) -> Bool

    init(_ body: [Stmt], lockedAt: Int32, isUnlock: @escaping (Expr) -> Bool) {
        self.isUnlock = isUnlock
        var valid: [String: Bool] = [:]
        var resetAfterLock = Set<String>()
        func scan(_ list: [Stmt]) {
            for (i, s) in list.enumerated() {
                guard case .assign(let lhs, let op, let rhs, let pos) = s, op == .assign || op == .define else { continue }
                for (index, target) in lhs.enumerated() {
                    guard let name = target.identName else { continue }
                    let value = lhs.count == rhs.count ? rhs[index].identName : nil
                    switch value {
                    case "true":
                        let afterUnlock = i > 0 && { if case .expr(let x) = list[i - 1] { return isUnlock(x) }; return false }()
                        valid[name] = (valid[name] ?? true) && afterUnlock
                    case "false":
                        if pos > lockedAt { resetAfterLock.insert(name) }
                    default:
                        valid[name] = false  // `unlocked = ok`: nothing known
                    }
                }
            }
        }
        Self.forEachList(body, scan)
        flags = Set(valid.filter { $0.value && resetAfterLock.contains($0.key) }.keys)
    }

    /// `if !flag { …; mu.Unlock() }` with no else, for one of the flags.
    func settles(_ s: Stmt) -> Bool {
        guard case .ifStmt(let i) = s, i.initial == nil, i.elseBranch == nil,
              case .unary(.not, let operand, _) = i.condition.unparenthesized, let name = operand.identName,
              flags.contains(name) else { return false }
        return Self.onlyReleases(i.body.statements, isUnlock: isUnlock)
    }

    /// Whether the body of a settling `if` unlocks as one of its statements and has no way out
    /// (return, jump) and no other lock: the `if` is taken as releasing without walking it.
    static func onlyReleases(_ statements: [Stmt], isUnlock: (Expr) -> Bool) -> Bool {
        guard statements.contains(where: { if case .expr(let x) = $0 { return isUnlock(x) }; return false }) else { return false }
        return !statements.contains { s in
            leavesOr(s) { x in
                guard let c = Lint.call(x), let (_, m) = Lint.methodCall(c) else { return false }
                return m == "Lock" || m == "RLock"
            }
        }
    }

    /// Whether `s` holds a `return` or a jump, or an expression `matches` (function literals
    /// left out).
    static func leavesOr(_ s: Stmt, _ matches: (Expr) -> Bool) -> Bool {
        var found = false
        Walk.statements(s, intoFuncLits: false, { st in
            switch st {
            case .returnStmt, .branch: found = true
            default: break
            }
            return !found
        }, { x in
            if matches(x) { found = true }
            return !found
        })
        return found
    }

    /// Calls `visit` once with every statement list of the body: the body itself, blocks, `if`
    /// and loop bodies, clauses, and function literals' bodies.
    static func forEachList(_ body: [Stmt], _ visit: ([Stmt]) -> Void) {
        visit(body)
        for s in body {
            Walk.statements(s, { st in
                switch st {
                case .block(let b): visit(b.statements)
                case .ifStmt(let i): visit(i.body.statements)
                case .forStmt(_, _, _, let b, _), .rangeStmt(_, _, _, _, let b, _): visit(b.statements)
                case .switchStmt(_, _, let clauses, _), .typeSwitch(_, _, let clauses, _): clauses.forEach { visit($0.body) }
                case .select(let clauses, _): clauses.forEach { visit($0.body) }
                default: break
                }
                return true
            }, { x in
                if case .funcLit(_, let b) = x { visit(b.statements) }
                return true
            })
        }
    }
}

extension UnlockFlags {
    /// Whether a deferred literal registered before the lock is `if held { mu.Unlock() }` for a
    /// local flag that tracks the hold, so that it releases exactly what is held on the way out
    /// (algorand's `needUnlock` in `lookupOnlineAccountData`, which drops the read lock before its
    /// database lookups and takes it again on its retry loop). All of:
    /// - the function is a declared one, and the `defer func() { … }()` (no parameters, no
    ///   arguments) is one of its top-level statements; the literal is that `if` alone, its body
    ///   the unlock alone;
    /// - `held` is declared once, by a top-level `held := false` (or `var held bool`) before the
    ///   defer, and the function mentions it nowhere but there, in the defer's condition, and in
    ///   assignments written as statements of a statement list: `held = true` directly after a
    ///   lock of this mutex, `held = false` directly after an unlock of it (no pointer, no
    ///   argument, no closure, no `if` init, `range` or select case);
    /// - the function takes this mutex in one statement only, the one at `lockAt`, and that is
    ///   directly followed by `held = true`.
    static func releasesWhileHeld(_ deferred: Call, deferAt: Int32, unit: FunctionUnit, lockAt: Int32, frames: [Frame],
                                  isLock: (Expr) -> Bool, isUnlock: (Expr) -> Bool) -> Bool {
        let function = unit.body.statements
        guard !unit.isLiteral, deferred.args.isEmpty, case .funcLit(let type, let literal) = deferred.fun.unparenthesized,
              type.params.isEmpty, literal.statements.count == 1, case .ifStmt(let guardIf) = literal.statements[0],
              guardIf.initial == nil, guardIf.elseBranch == nil, let flag = guardIf.condition.unparenthesized.identName,
              guardIf.body.statements.count == 1, case .expr(let release) = guardIf.body.statements[0], isUnlock(release),
              function.contains(where: { $0.pos == deferAt }),
              let next = frames.last?.next, assignedLiteral(next, flag) == "true" else { return false }
        // The declaration: a top-level statement before the defer.
        let declarations = function.filter { st in
            guard st.pos < deferAt else { return false }
            if case .assign(let lhs, .define, _, _) = st, lhs.count == 1, lhs[0].identName == flag {
                return assignedLiteral(st, flag) == "false"
            }
            if case .decl(let g) = st, g.specs.count == 1, case .value(let names, let type, let values) = g.specs[0],
               names.count == 1, names[0].name == flag {
                return values.isEmpty ? type?.identName == "bool" : values.count == 1 && values[0].identName == "false"
            }
            return false
        }
        guard declarations.count == 1 else { return false }
        // The assignments written as statements of a list, each checked.
        var checked = 0
        var sound = true
        forEachStatement(function) { s, frames in
            guard let f = frames.last, f.index == 0 else { return }
            for (i, st) in f.list.enumerated() where st.pos != declarations[0].pos {
                guard case .assign(let lhs, _, _, let pos) = st, lhs.contains(where: { $0.identName == flag }) else { continue }
                checked += 1
                let previous: Expr? = { if i > 0, case .expr(let e) = f.list[i - 1] { return e }; return nil }()
                switch assignedLiteral(st, flag) {
                case "true": if !(previous.map(isLock) ?? false) || lhs.count != 1 { sound = false }
                case "false": if pos < lockAt || !(previous.map(isUnlock) ?? false) || lhs.count != 1 { sound = false }
                default: sound = false
                }
            }
        }
        // Every mention of the flag (function literals included) is one of those.
        var mentions = 0
        var locks = 0
        for st in function {
            Walk.stmt(st) { e in
                if case .ident(let id) = e, id.name == flag { mentions += 1 }
                return true
            }
            Walk.statements(st, intoFuncLits: true, { inner in
                if case .expr(let e) = inner, isLock(e) { locks += 1 }
                return true
            }, { _ in true })
        }
        // The declaration, the checked assignments and the defer's condition.
        return sound && locks == 1 && mentions == 1 + checked + 1
    }

    /// `flag = true` / `flag := false`: the literal's name, when the statement assigns `flag` one.
    static func assignedLiteral(_ s: Stmt, _ flag: String) -> String? {
        guard case .assign(let lhs, let op, let rhs, _) = s, op == .assign || op == .define, lhs.count == rhs.count,
              let i = lhs.firstIndex(where: { $0.identName == flag }) else { return nil }
        let value = rhs[i].unparenthesized.identName
        return value == "true" || value == "false" ? value : nil
    }
}
