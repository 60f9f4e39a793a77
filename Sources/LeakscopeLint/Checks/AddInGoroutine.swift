import LeakscopeGoSource

/// LS007: `go func() { wg.Add(1); … }()` where `wg` is a `sync.WaitGroup` of the enclosing
/// function (a local, a parameter or a field of the package).
enum AddInGoroutine {
    static func run(_ ctx: CheckContext) {
        let types = LocalTypes(ctx.unit)
        forEachStatement(ctx.unit.body.statements) { s, _ in
            guard case .go(let call, _) = s, case .funcLit(_, let body) = call.fun else { return }
            // go vet's waitgroup check: the Add that opens the goroutine.
            for statement in body.statements.prefix(1) {
                guard case .expr(.call(let add)) = statement, let (receiver, method) = Lint.methodCall(add), method == "Add",
                      ctx.isNamed(types.type(of: receiver, facts: ctx.package), "sync", "WaitGroup"),
                      let key = Lint.text(receiver) else { continue }
                ctx.report(Checks.addInGoroutine, at: add.lparen,
                               "\(key).Add is called inside the goroutine it counts: Wait may return before it runs")
            }
        }
    }
}
