import LeakscopeGoSource

/// LS001: a select case on the `Done()` of a context nothing can cancel is never taken. The
/// `Done` channel of `context.Background()`, `TODO()` and `WithoutCancel(x)` (and of a
/// `WithValue` over one) is nil, and a receive from a nil channel blocks forever, so the receiver
/// cannot give up there (iofogctl's `ExecuteCmd`: `ctx := context.Background()`, then `case
/// <-ctx.Done(): return`; docs/LINT.md, session 30).
extension AbandonedSend {
    /// Whether `comm` receives from `X.Done()` where `X` is such a context written in place, or a
    /// local (not a parameter or result) every value of which is one.
    static func neverTaken(_ comm: Stmt?, _ context: CheckContext) -> Bool {
        guard let channel = Lint.receivedChannel(comm), let call = Lint.call(channel), call.args.isEmpty,
              case .selector(let base, let method) = call.fun.unparenthesized, method.name == "Done" else { return false }
        // Written in place: LS003's test of a parent, with no earlier statements to follow.
        func isUncancellable(_ e: Expr) -> Bool { LostCancel.isNeverCancelled(e, [], context) }
        if isUncancellable(base) { return true }
        guard let name = base.unparenthesized.identName, !context.unit.signatureNames.contains(name) else { return false }
        let values = RunnerLifetimes.assignedValues(name, context.unit.body.statements)
        return !values.isEmpty && values.allSatisfy { $0.map(isUncancellable) ?? false }
    }
}
