import LeakscopeGoSource

/// LS003: `ctx, cancel := context.WithX(…)` whose cancel is discarded, or not used on every path
/// to a return (go vet's lostcancel, over our syntax-tree paths).
enum LostCancel {
    static let constructors: Set<String> = [
        "WithCancel", "WithCancelCause", "WithTimeout", "WithTimeoutCause", "WithDeadline", "WithDeadlineCause",
    ]
    /// The roots whose `Done` is nil: nothing derived from them is ever registered with a parent.
    static let neverCancelled: Set<String> = ["Background", "TODO"]

    static func run(_ ctx: CheckContext) {
        if ctx.unit.name == "main.main" { return }
        forEachStatement(ctx.unit.body.statements) { s, frames in
            guard case .assign(let lhs, let op, let rhs, _) = s, lhs.count == 2, rhs.count == 1,
                  let call = Lint.call(rhs[0]), ctx.calls(call, "context", constructors),
                  case .ident(let cancel) = lhs[1] else { return }
            let constructor = ctx.packageMember(call.fun)!.name
            let expires = constructor.hasPrefix("WithTimeout") || constructor.hasPrefix("WithDeadline")
            // Under Background or TODO (their Done is nil) a cancel-only context registers with
            // nothing and starts no timer: uncancelled, it is garbage like any value.
            if !expires, let parent = call.args.first.flatMap(Lint.call), ctx.calls(parent, "context", neverCancelled) {
                return
            }
            if cancel.name == "_" {
                // A timeout or deadline context ends when its timer fires: nothing outlives that.
                // Every first-pass finding of this shape on unseen code was judged false (docs/LINT.md).
                ctx.report(Checks.lostCancel, at: cancel.pos,
                           "the cancel function returned by context.\(constructor) is discarded: the context leaks until "
                               + (expires ? "its deadline passes or " : "") + "its parent is cancelled",
                           lowConfidence: expires ? "the context's timer cancels it at the deadline; held only until then" : nil)
                return
            }
            guard op == .define else { return }
            let name = cancel.name
            var walker = HeldWalker(releases: { Lint.mentions($0, name) },
                                    deferReleases: { Lint.mentions(.call($0), name) },
                                    exprReleases: { Lint.mentions($0, name) })
            walker.run(from: frames)
            if let first = walker.leakingReturns.first {
                let line = ctx.file.position(of: first).line
                ctx.report(Checks.lostCancel, at: lhs[0].pos,
                               "\(name) from context.\(constructor) is not called on every path: the return on line \(line) leaves it uncalled",
                               related: walker.leakingReturns, relatedText: "returns without calling \(name)")
            } else if walker.fallsOffHeld {
                ctx.report(Checks.lostCancel, at: lhs[0].pos,
                               "\(name) from context.\(constructor) is not called on every path to the end of the function")
            }
        }
    }
}
