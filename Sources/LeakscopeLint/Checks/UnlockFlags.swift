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
        for s in body {
            Walk.statements(s, { st in
                switch st {
                case .block(let b): scan(b.statements)
                case .ifStmt(let i): scan(i.body.statements)
                case .forStmt(_, _, _, let b, _), .rangeStmt(_, _, _, _, let b, _): scan(b.statements)
                case .switchStmt(_, _, let clauses, _), .typeSwitch(_, _, let clauses, _): clauses.forEach { scan($0.body) }
                case .select(let clauses, _): clauses.forEach { scan($0.body) }
                default: break
                }
                return true
            }, { x in
                if case .funcLit(_, let b) = x { scan(b.statements) }
                return true
            })
        }
        scan(body)
        flags = Set(valid.filter { $0.value && resetAfterLock.contains($0.key) }.keys)
    }

    /// `if !flag { …; mu.Unlock() }` with no else, for one of the flags.
    func settles(_ s: Stmt) -> Bool {
        guard case .ifStmt(let i) = s, i.initial == nil, i.elseBranch == nil,
              case .unary(.not, let operand, _) = i.condition.unparenthesized, let name = operand.identName,
              flags.contains(name) else { return false }
        return i.body.statements.contains { if case .expr(let x) = $0 { return isUnlock(x) }; return false }
    }
}
