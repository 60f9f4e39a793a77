import LeakscopeGoSource

/// LS006's unlocks on the two values of one flag: `if ok { …; mu.Unlock() }`, then later in the
/// same statement list `if !ok { …; mu.Unlock() }`, `ok` unchanged between. A path that still
/// holds the lock after the first `if` has `ok` false, so the second one releases it (beegfs's
/// work manager, session 38's second clean pass: `activeWork, isWorkQueued := m.activeWork[id]`,
/// an early unlock when queued, and the unlock when not once the journal entry is locked).
enum ComplementaryUnlocks {
    /// Whether `s` is the second `if` of such a pair: no initialiser or `else`, a condition that
    /// is a boolean or its negation, a body that unlocks as one of its statements with no way
    /// out and no other lock (`UnlockFlags.onlyReleases`); earlier in its list the lock statement
    /// itself, then the flag's declaration (`v, ok := m[k]`), then the `if` on the other value,
    /// of the same shape; between the two, and in the first one's body, no assignment to the flag,
    /// to the lock's `owner` (`cur = cur.next`) and no lock of the mutex; nowhere in the function
    /// a literal that assigns the flag, its address (`&flag`, `p := &flag`) or a method called on
    /// it (`flag.set()`); and no label or `goto` (session 38's code review).
    static func settles(_ s: Stmt, body: [Stmt], owner: String?, isLock: (Expr) -> Bool, isUnlock: (Expr) -> Bool) -> Bool {
        guard let (flag, negated) = condition(s, isUnlock: isUnlock), !Lint.jumps(body), !escapes(flag, body),
              case .ifStmt(let second) = s else { return false }
        var settles = false
        forEachStatement(body) { statement, frames in
            guard !settles, case .ifStmt(let i) = statement, i.pos == second.pos, let frame = frames.last else { return }
            let list = frame.list
            guard let first = list[..<frame.index].lastIndex(where: { earlier in
                guard let (other, otherNegated) = condition(earlier, isUnlock: isUnlock) else { return false }
                return other == flag && otherNegated != negated
            }), let locked = list[..<first].firstIndex(where: { if case .expr(let x) = $0 { return isLock(x) }; return false }),
                  list[(locked + 1)..<first].contains(where: { declares($0, flag) }) else { return }
            let between = list[first..<frame.index]
            let changes = between.contains { st in
                Lint.assigns(st, flag) || LostCancel.rebinds(st, flag) || Walk.contains(st, intoFuncLits: true, where: isLock)
                    || owner.map { Lint.assigns(st, $0) || LostCancel.rebinds(st, $0) } == true
            }
            settles = !changes
        }
        return settles
    }

    /// Whether `s` declares `flag` with `:=` or `var` in its own list.
    static func declares(_ s: Stmt, _ flag: String) -> Bool {
        switch s {
        case .assign(let lhs, .define, _, _): return lhs.contains { $0.identName == flag }
        case .decl(let g): return g.specs.contains { if case .value(let names, _, _) = $0 { return names.contains { $0.name == flag } }; return false }
        default: return false
        }
    }

    /// Whether anything but the function's own statements may change `flag`: a literal that
    /// assigns it, its address taken, or a method called on it.
    static func escapes(_ flag: String, _ body: [Stmt]) -> Bool {
        var escapes = false
        for statement in body where !escapes {
            Walk.statements(statement, intoFuncLits: true, { _ in !escapes }, { x in
                switch x {
                case .unary(.and, let operand, _) where operand.unparenthesized.identName == flag: escapes = true
                case .selector(let base, _) where base.unparenthesized.identName == flag: escapes = true
                case .funcLit(_, let literal):
                    if literal.statements.contains(where: { Lint.assigns($0, flag) || LostCancel.rebinds($0, flag) }) { escapes = true }
                default: break
                }
                return !escapes
            })
        }
        return escapes
    }

    /// The flag of an `if flag { … }` or `if !flag { … }` with no initialiser or `else` whose
    /// body only releases, and whether it is negated.
    static func condition(_ s: Stmt, isUnlock: (Expr) -> Bool) -> (String, Bool)? {
        guard case .ifStmt(let i) = s, i.initial == nil, i.elseBranch == nil,
              UnlockFlags.onlyReleases(i.body.statements, isUnlock: isUnlock) else { return nil }
        switch i.condition.unparenthesized {
        case .ident(let x): return (x.name, false)
        case .unary(.not, let operand, _): return operand.identName.map { ($0, true) }
        default: return nil
        }
    }
}
