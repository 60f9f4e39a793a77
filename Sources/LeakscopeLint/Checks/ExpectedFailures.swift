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
    /// `.ShouldNot(BeNil())`, `Consistently`, with `WithTimeout`-style calls between).
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

    /// For `base.ShouldNot(Succeed())`, `base.ShouldNot(BeNil())` or `base.Should(HaveOccurred())`: `base`.
    static func failureAssertion(_ x: Expr) -> Expr? {
        guard case .call(let c) = x, c.args.count == 1, case .selector(let base, let method) = c.fun.unparenthesized,
              let matcher = Lint.call(c.args[0]), let name = Lint.finalName(matcher.fun) else { return nil }
        if method.name == "ShouldNot" && (name == "Succeed" || name == "BeNil") { return base }
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
                // `Consistently(…).ShouldNot(BeNil())`: every try must fail (loggregator's "no pprof
                // endpoint" checks), like an `Eventually` that waits for one.
                let name = Lint.finalName(c.fun)
                return ["Eventually", "EventuallyWithOffset", "Consistently", "ConsistentlyWithOffset"].contains(name ?? "")
            }
            guard case .selector(let inner, _) = c.fun.unparenthesized else { return false }
            e = inner.unparenthesized
        }
        return false
    }

    /// Whether a test fails when response `resp` is not nil: outside loops, a later statement
    /// of the request's own list, before `resp` is assigned again, is `if resp != nil { …;
    /// t.Fatal(…) }` (`Fatalf`, `FailNow`), `t` a `*testing.T` (`B`, `F`, `TB`) parameter of the
    /// function or of the declared function a literal is written in. The request is expected to
    /// fail (ooni's transport tests hand the client a dialer that always errors), and a failed
    /// request has no body; when it does not fail, the test has failed. (`require.Nil(t, resp)`
    /// hands `resp` to a call, which already counts as letting it go.)
    static func assertsNilResponse(_ resp: String, _ frames: [Frame], _ ctx: CheckContext) -> Bool {
        guard !frames.contains(where: { $0.kind == .loop }), let innermost = frames.last else { return false }
        for s in innermost.list[(innermost.index + 1)...] {
            if assigns(resp, s) { return false }
            guard case .ifStmt(let check) = s, check.initial == nil, check.elseBranch == nil,
                  case .binary(.neq, let a, let b, _) = check.condition.unparenthesized,
                  a.identName == resp, b.identName == "nil",
                  case .expr(let last)? = check.body.statements.last, let c = Lint.call(last),
                  case .selector(.ident, _) = c.fun.unparenthesized else { continue }
            return endsInFailure(check.body.statements, ctx)
        }
        return false
    }

    /// Whether the last of `statements` is `t.Fatal(…)` (`Fatalf`, `FailNow`), `t` a `*testing.T`
    /// (`B`, `F`, `TB`) parameter of the function, or of the declared function a literal is
    /// written in (`env.Do(func() { … t.Fatal(…) })`) when the literal has no `t` of its own, and
    /// `t` declared nowhere in the function's body (`t := &recorder{}` is another `t`).
    static func endsInFailure(_ statements: [Stmt], _ ctx: CheckContext) -> Bool {
        guard case .expr(let last)? = statements.last, let c = Lint.call(last),
              case .selector(.ident(let t), let method) = c.fun.unparenthesized,
              ["Fatal", "Fatalf", "FailNow"].contains(method.name),
              !Lint.declares(t.name, in: ctx.unit.body.statements) else { return false }
        if Lint.testers(ctx.unit).contains(t.name) { return true }
        // Through a literal, the declared function's `t` only when nothing between redeclares it
        // (a literal of a literal may take a `t` of another type).
        guard let declaring = ctx.declaringUnit, !ctx.unit.signatureNames.contains(t.name),
              !Lint.declares(t.name, in: declaring.body.statements) else { return false }
        return Lint.testers(declaring).contains(t.name)
    }

    /// `if err != nil { … } else { …; t.Fatal(…) }` after a request whose response is discarded,
    /// the `else` with no way out before its `t.Fatal`: the test fails when the request works, so a
    /// failure is expected (pelican's transport timeout tests), and a failed request has no body.
    static func failsOnSuccess(_ check: IfStmt, _ ctx: CheckContext) -> Bool {
        guard check.initial == nil, case .block(let otherwise)? = check.elseBranch, !Lint.leaves(otherwise.statements) else { return false }
        return endsInFailure(otherwise.statements, ctx)
    }
}
