import LeakscopeGoSource

/// LS006's unlock-once flags: `unlocked := false`, a callback that unlocks early and sets
/// `unlocked = true` right after, and `if !unlocked { mu.Unlock() }` once the call is back. On
/// every path the lock is released exactly once, so that `if` settles it.
struct UnlockFlags {
    /// Local booleans every `= true` of which directly follows an unlock of this lock in the same
    /// statement list (closures included).
    private(set) var flags: Set<String> = []
    private let isUnlock: (Expr) -> Bool

    init(_ body: [Stmt], isUnlock: @escaping (Expr) -> Bool) {
        self.isUnlock = isUnlock
        var candidates: [String: Bool] = [:]
        func scan(_ list: [Stmt]) {
            for (i, s) in list.enumerated() {
                guard case .assign(let lhs, let op, let rhs, _) = s, op == .assign || op == .define, lhs.count == 1, rhs.count == 1,
                      let name = lhs[0].identName, rhs[0].identName == "true" else { continue }
                let afterUnlock = i > 0 && { if case .expr(let x) = list[i - 1] { return isUnlock(x) }; return false }()
                candidates[name] = (candidates[name] ?? true) && afterUnlock
            }
        }
        for s in body {
            Walk.statements(s, { st in
                switch st {
                case .block(let b): scan(b.statements)
                case .ifStmt(let i): scan(i.body.statements)
                case .forStmt(_, _, _, let b, _), .rangeStmt(_, _, _, _, let b, _): scan(b.statements)
                default: break
                }
                return true
            }, { x in
                if case .funcLit(_, let b) = x { scan(b.statements) }
                return true
            })
        }
        scan(body)
        flags = Set(candidates.filter(\.value).keys)
    }

    /// `if !flag { …; mu.Unlock() }` with no else, for one of the flags.
    func settles(_ s: Stmt) -> Bool {
        guard case .ifStmt(let i) = s, i.initial == nil, i.elseBranch == nil,
              case .unary(.not, let operand, _) = i.condition.unparenthesized, let name = operand.identName,
              flags.contains(name) else { return false }
        return i.body.statements.contains { if case .expr(let x) = $0 { return isUnlock(x) }; return false }
    }
}
