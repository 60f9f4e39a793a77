import LeakscopeGoSource

/// LS004's polls that wait for a request to fail: a discarded response in a function literal that
/// a poller retries until the request errors (session 12: tempo's and controller-runtime's
/// "server is down" checks after stopping the server). Each try that still gets an answer gets
/// it from a server that is shutting down, and a failed request has no body.
extension BodyClose {
    /// Whether the unit is a literal that reports success when `err` is set: it returns
    /// `err != nil` (`require.Eventually(t, func() bool { _, err := http.Get(u); return err != nil }, …)`),
    /// or it returns `err` and is the polled function of a Gomega assertion of failure,
    /// `Eventually(func() error { …; return err }, …).ShouldNot(Succeed())` (or `.Should(HaveOccurred())`,
    /// with `WithTimeout`-style calls between).
    static func pollsForFailure(_ err: String, _ ctx: CheckContext) -> Bool {
        guard ctx.unit.isLiteral else { return false }
        var returnsErr = false
        var returnsFailed = false
        for s in ctx.unit.body.statements {
            guard case .returnStmt(let results, _) = s, results.count == 1 else { continue }
            let result = results[0].unparenthesized
            if result.identName == err { returnsErr = true }
            if case .binary(.neq, let a, let b, _) = result, a.identName == err, b.identName == "nil" { returnsFailed = true }
        }
        if returnsFailed { return true }
        guard returnsErr, let syntax = ctx.file.syntax else { return false }
        let literalStart = ctx.unit.body.lbrace
        var found = false
        // The declaration the literal is written in: a function, or a package `var` (Ginkgo's
        // `var _ = Describe(…, func() { … })`).
        for decl in syntax.decls {
            var statements: [Stmt] = []
            switch decl {
            case .function(let f):
                guard let body = f.body, body.lbrace < literalStart, literalStart < body.rbrace else { continue }
                statements = body.statements
            case .gen(let g):
                statements = [.decl(g)]
            }
            for s in statements {
                Walk.stmt(s) { x in
                    if found { return false }
                    if let assertion = failureAssertion(x), polls(assertion, literalStart) { found = true }
                    return true
                }
            }
            if found { return true }
        }
        return false
    }

    /// For `base.ShouldNot(Succeed())` or `base.Should(HaveOccurred())`: `base`.
    static func failureAssertion(_ x: Expr) -> Expr? {
        guard case .call(let c) = x, c.args.count == 1, case .selector(let base, let method) = c.fun.unparenthesized,
              let matcher = Lint.call(c.args[0]), let name = Lint.finalName(matcher.fun) else { return nil }
        if method.name == "ShouldNot" && name == "Succeed" { return base }
        if method.name == "Should" && name == "HaveOccurred" { return base }
        return nil
    }

    /// Whether the chain `Eventually(lit, …).WithTimeout(…)…` under an assertion polls the literal
    /// whose body starts at `literalStart`.
    static func polls(_ base: Expr, _ literalStart: Int32) -> Bool {
        var e = base.unparenthesized
        while case .call(let c) = e {
            if c.args.contains(where: { arg in
                if case .funcLit(_, let b) = arg.unparenthesized { return b.lbrace == literalStart }
                return false
            }) {
                let name = Lint.finalName(c.fun)
                return name == "Eventually" || name == "EventuallyWithOffset"
            }
            guard case .selector(let inner, _) = c.fun.unparenthesized else { return false }
            e = inner.unparenthesized
        }
        return false
    }
}
