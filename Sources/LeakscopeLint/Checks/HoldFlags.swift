import LeakscopeGoSource

/// LS006's hold flags: a local boolean that is true exactly while the lock is held, so that
/// `if locked { mu.Unlock() }` on the way out releases whatever is still held (bazel-remote's
/// disk cache: `locked := true` before the lock, `mu.Unlock(); locked = false` on a hit, and the
/// lock taken again only for short sections that drop it before going on).
///
/// A flag counts for the lock at `lockedAt` when all of these hold, which keep it true on every
/// path from that lock while the lock is held, and false once it is not:
/// - it is declared once, by a top-level `flag := true` or `var flag bool` of the function (not
///   a parameter, a named result, a package variable or a captured one), and every mention of it
///   is that declaration, an assignment statement of a statement list, or the condition of an
///   `if flag` or `if !flag` (no `&flag`, no `if` initialiser, range variable, select case or
///   labeled statement writing it);
/// - it is assigned nothing but `true` and `false`: every `= false` directly follows an unlock of
///   this lock in the same list, and every `= true` is next to the lock at `lockedAt` (directly
///   after it, or before it with only value-less `var`s between), the declaration's too;
/// - every other lock of the mutex is a short critical section: a statement of its own (or the
///   one statement of an `if !flag { … }`) followed in its list by an unlock, with no return,
///   jump, lock or unlock between.
struct HoldFlags {
    private(set) var flags: Set<String> = []
    private let isUnlock: (Expr) -> Bool

    init(_ body: [Stmt], lockedAt: Int32, isLock: @escaping (Expr) -> Bool, isUnlock: @escaping (Expr) -> Bool) {
        self.isUnlock = isUnlock
        // Every lock of the mutex must be a statement: one in a `defer` or an argument is not followed.
        var lockCalls = 0
        for s in body { Walk.stmt(s) { x in if isLock(x) { lockCalls += 1 }; return true } }
        // One pass over the lists: the lock statements other than `lockedAt`, whether each is
        // released later in its list, and the `if !flag { mu.Lock() }` followed by an unlock in
        // theirs (a short section too).
        var lockStatements = 0
        var others: [(pos: Int32, released: Bool)] = []
        var guardedSections = Set<Int32>()
        var trueAtLock: [String: Set<Int32>] = [:]
        UnlockFlags.forEachList(body) { list in
            for (i, s) in list.enumerated() {
                if case .expr(let x) = s, isLock(x), let pos = Lint.call(x)?.fun.pos {
                    lockStatements += 1
                    if pos == lockedAt {
                        for (name, at) in Self.trueNextTo(list, i) { trueAtLock[name, default: []].insert(at) }
                    } else {
                        others.append((pos, Self.releasedLater(list, after: i, isLock: isLock, isUnlock: isUnlock)))
                    }
                }
                if case .ifStmt(let g) = s, g.initial == nil, g.elseBranch == nil,
                   case .unary(.not, _, _) = g.condition.unparenthesized, g.body.statements.count == 1,
                   case .expr(let x) = g.body.statements[0], isLock(x), let pos = Lint.call(x)?.fun.pos,
                   Self.releasedLater(list, after: i, isLock: isLock, isUnlock: isUnlock) {
                    guardedSections.insert(pos)
                }
            }
        }
        guard !trueAtLock.isEmpty, lockStatements == lockCalls,
              others.allSatisfy({ $0.released || guardedSections.contains($0.pos) }) else { return }
        flags = Set(trueAtLock.filter { Self.isSound($0.key, body, trueAt: $0.value, isUnlock: isUnlock) }.keys)
    }

    /// Whether `s` has the shape of a releasing `if` (`if flag { … }`, no initialiser, no else):
    /// the only statements `settles` can accept, checked before the flags are worked out.
    static func mightSettle(_ s: Stmt) -> Bool {
        guard case .ifStmt(let i) = s, i.initial == nil, i.elseBranch == nil else { return false }
        return i.condition.unparenthesized.identName != nil
    }

    /// `if flag { …; mu.Unlock() }` with no else, for one of the flags, whose body has no way out.
    func settles(_ s: Stmt) -> Bool {
        guard case .ifStmt(let i) = s, i.initial == nil, i.elseBranch == nil,
              let name = i.condition.unparenthesized.identName, flags.contains(name) else { return false }
        return UnlockFlags.onlyReleases(i.body.statements, isUnlock: isUnlock)
    }

    /// Names set to `true` next to the lock at `list[i]`, with the assigning statement's position:
    /// the statement after it, or the one before it past value-less `var` declarations.
    private static func trueNextTo(_ list: [Stmt], _ i: Int) -> [(String, Int32)] {
        var statements: [Stmt] = []
        if i + 1 < list.count { statements.append(list[i + 1]) }
        var j = i - 1
        while j >= 0, Lint.isValuelessDeclaration(list[j]) { j -= 1 }
        if j >= 0 { statements.append(list[j]) }
        var names: [(String, Int32)] = []
        for s in statements {
            guard case .assign(let lhs, _, _, _) = s else { continue }
            for target in lhs { if let n = target.identName, UnlockFlags.assignedLiteral(s, n) == "true" { names.append((n, s.pos)) } }
        }
        return names
    }

    /// Whether an unlock is a later statement of `list`, with no return, jump, lock or unlock in
    /// the statements between.
    private static func releasedLater(_ list: [Stmt], after i: Int, isLock: (Expr) -> Bool, isUnlock: (Expr) -> Bool) -> Bool {
        for next in list.dropFirst(i + 1) {
            if case .expr(let u) = next, isUnlock(u) { return true }
            if UnlockFlags.leavesOr(next, { isLock($0) || isUnlock($0) }) { return false }
        }
        return false
    }

    /// The declaration, assignment and mention rules of the type's comment for `flag`.
    private static func isSound(_ flag: String, _ body: [Stmt], trueAt: Set<Int32>, isUnlock: (Expr) -> Bool) -> Bool {
        // One top-level declaration, assigning true (next to the lock) or nothing.
        let declarations = body.filter { s in
            if case .assign(let lhs, .define, _, _) = s, lhs.contains(where: { $0.identName == flag }) { return true }
            if case .decl(let g) = s, g.specs.contains(where: { if case .value(let names, _, _) = $0 { return names.contains { $0.name == flag } }; return false }) { return true }
            return false
        }
        guard declarations.count == 1 else { return false }
        switch declarations[0] {
        case .assign(let lhs, _, _, _):
            guard lhs.count == 1, UnlockFlags.assignedLiteral(declarations[0], flag) == "true" else { return false }
        case .decl(let g):
            guard g.specs.count == 1, case .value(let names, let type, let values) = g.specs[0], names.count == 1,
                  values.isEmpty, type?.identName == "bool" else { return false }
        default:
            return false
        }
        // No other declaration anywhere (a shadowing `flag := …` in a block or a literal, a
        // literal's parameter, a range variable).
        var counted = 0
        var sound = true
        UnlockFlags.forEachList(body) { list in
            for (i, s) in list.enumerated() {
                switch s {
                case .assign(let lhs, let op, _, _) where lhs.contains(where: { $0.identName == flag }):
                    let isDeclaration = s.pos == declarations[0].pos
                    if op == .define && !isDeclaration || lhs.count != 1 { sound = false }
                    switch UnlockFlags.assignedLiteral(s, flag) {
                    case "true": if !trueAt.contains(s.pos) { sound = false }
                    case "false":
                        let afterUnlock = i > 0 && { if case .expr(let x) = list[i - 1] { return isUnlock(x) }; return false }()
                        if !afterUnlock { sound = false }
                    default: sound = false
                    }
                    counted += 1
                case .decl(let g):
                    // The declaration's names are not expressions, so not among the mentions below.
                    if s.pos != declarations[0].pos,
                       g.specs.contains(where: { if case .value(let names, _, _) = $0 { return names.contains { $0.name == flag } }; return false }) {
                        sound = false
                    }
                case .ifStmt(let g):
                    var condition = g.condition.unparenthesized
                    if case .unary(.not, let operand, _) = condition { condition = operand.unparenthesized }
                    if condition.identName == flag { counted += 1 }
                default:
                    break
                }
            }
        }
        var mentions = 0
        for s in body {
            Walk.stmt(s) { x in
                if case .ident(let id) = x, id.name == flag { mentions += 1 }
                if case .funcLit(let type, _) = x, type.params.contains(where: { $0.names.contains { $0.name == flag } }) { sound = false }
                return true
            }
        }
        return sound && mentions == counted
    }
}
