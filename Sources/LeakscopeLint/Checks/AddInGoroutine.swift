import LeakscopeGoSource

/// LS007: `go func() { wg.Add(1); … }()` where `wg` is a `sync.WaitGroup` of the enclosing
/// function (a local, a parameter or a field of the package).
enum AddInGoroutine {
    /// Why a finding is `low` when the function holds a count of its own (`holdsCount`).
    static let heldCount = "the function adds to the group before starting the goroutine and nothing in it takes that count back, so Wait cannot return before the goroutine's Add unless code elsewhere calls Done first (a Stop at shutdown)"

    static func run(_ ctx: CheckContext) {
        let types = LocalTypes(ctx.unit)
        let statements = ctx.unit.body.statements
        forEachStatement(statements) { s, _ in
            guard case .go(let call, let pos) = s, case .funcLit(_, let body) = call.fun else { return }
            // go vet's waitgroup check: the Add that opens the goroutine.
            for statement in body.statements.prefix(1) {
                guard let (add, receiver, key) = openingAdd(statement),
                      ctx.isNamed(types.type(of: receiver, facts: ctx.package), "sync", "WaitGroup") else { continue }
                ctx.report(Checks.addInGoroutine, at: add.lparen,
                           "\(key).Add is called inside the goroutine it counts: Wait may return before it runs",
                           lowConfidence: holdsCount(key, before: pos, statements) ? heldCount : nil)
            }
        }
    }

    /// `key.Add(…)` as a statement: the call, the group and the group's text.
    static func openingAdd(_ statement: Stmt) -> (Call, Expr, String)? {
        guard case .expr(.call(let add)) = statement, let (receiver, method) = Lint.methodCall(add), method == "Add",
              let key = Lint.text(receiver) else { return nil }
        return (add, receiver, key)
    }

    /// Whether the function calls `key.Add` itself (outside function literals) before the `go`
    /// statement at `goPosition`, and every `key.Done()` in it, literals included, is that of a
    /// goroutine's own pair (`go func() { key.Add(1); defer key.Done() … }()`, one of each):
    /// the count it added stays held for as long as it runs (packetfence's queue workers, whose
    /// `Run` adds one that only `Stop` takes back).
    static func holdsCount(_ key: String, before goPosition: Int32, _ statements: [Stmt]) -> Bool {
        var held = false, paired = 0
        forEachStatement(statements) { s, _ in
            if let (add, _, group) = openingAdd(s), group == key, add.lparen < goPosition { held = true }
            guard case .go(let go, _) = s, case .funcLit(_, let body) = go.fun, let first = body.statements.first,
                  openingAdd(first)?.2 == key else { return }
            let (groupDones, groupAdds) = calls(key, in: body.statements)
            if groupDones == 1 && groupAdds == 1 { paired += 1 }
        }
        return held && calls(key, in: statements).dones == paired
    }

    /// How many `key.Done()` and `key.Add(…)` calls `statements` make, function literals included.
    static func calls(_ key: String, in statements: [Stmt]) -> (dones: Int, adds: Int) {
        var dones = 0, adds = 0
        for s in statements {
            Walk.statements(s, intoFuncLits: true, { t in
                switch t {
                case .expr(.call(let c)), .deferCall(let c, _):
                    if let (receiver, method) = Lint.methodCall(c), Lint.text(receiver) == key {
                        if method == "Done" { dones += 1 } else if method == "Add" { adds += 1 }
                    }
                default: break
                }
                return true
            }, { _ in true })
        }
        return (dones, adds)
    }
}
