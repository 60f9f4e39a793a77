import LeakscopeGoSource

/// LS006's unlocks on the two values of one flag: `if ok { …; mu.Unlock() }`, then later in the
/// same statement list `if !ok { …; mu.Unlock() }`, `ok` unchanged between. A path that still
/// holds the lock after the first `if` has `ok` false, so the second one releases it (beegfs's
/// work manager, session 38's second clean pass: `activeWork, isWorkQueued := m.activeWork[id]`,
/// an early unlock when queued, and the unlock when not once the journal entry is locked).
enum ComplementaryUnlocks {
    /// Whether `s` is the second `if` of such a pair for the lock taken at `lockedAt`: no
    /// initialiser or `else`, a condition that is a local boolean or its negation, a body that
    /// unlocks as one of its statements with no way out and no other lock
    /// (`UnlockFlags.onlyReleases`); earlier in its list the lock statement itself, then the
    /// `if` on the other value, of the same shape; between the two, and in the first one's body,
    /// no assignment to the flag and no lock of the mutex; and no label or `goto` in the function.
    static func settles(_ s: Stmt, body: [Stmt], isLock: (Expr) -> Bool, isUnlock: (Expr) -> Bool) -> Bool {
        guard let (flag, negated) = condition(s, isUnlock: isUnlock), Lint.declares(flag, in: body, intoFuncLits: false),
              !Lint.jumps(body), case .ifStmt(let second) = s else { return false }
        var settles = false
        forEachStatement(body) { statement, frames in
            guard !settles, case .ifStmt(let i) = statement, i.pos == second.pos, let frame = frames.last else { return }
            let list = frame.list
            guard let first = list[..<frame.index].lastIndex(where: { earlier in
                guard let (other, otherNegated) = condition(earlier, isUnlock: isUnlock) else { return false }
                return other == flag && otherNegated != negated
            }), list[..<first].contains(where: { if case .expr(let x) = $0 { return isLock(x) }; return false }) else { return }
            let between = list[first..<frame.index]
            let changes = between.contains { st in
                Lint.assigns(st, flag) || LostCancel.rebinds(st, flag) || Walk.contains(st, intoFuncLits: true, where: isLock)
            }
            settles = !changes
        }
        return settles
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
