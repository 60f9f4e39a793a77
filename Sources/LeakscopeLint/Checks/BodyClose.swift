import LeakscopeGoSource

/// LS004: an `*http.Response` from `http.Get/Head/Post/PostForm` or an `*http.Client`'s
/// `Do/Get/Head/Post/PostForm` whose `Body.Close` is never called and that is not handed to
/// anything that could close it.
enum BodyClose {
    static let packageFunctions: Set<String> = ["Get", "Head", "Post", "PostForm"]
    static let clientMethods: Set<String> = ["Do", "Get", "Head", "Post", "PostForm"]
    /// Functions that read a body without closing it.
    static let readers: Set<String> = ["ReadAll", "Copy", "CopyN", "CopyBuffer", "NewDecoder", "NewReader", "NewScanner", "LimitReader", "ReadFull"]

    static func run(_ ctx: CheckContext) {
        let types = LocalTypes(ctx.unit)
        let body = ctx.unit.body.statements
        forEachStatement(body) { s, frames in
            guard case .assign(let lhs, let op, let rhs, _) = s, lhs.count == 2, rhs.count == 1, op == .define || op == .assign,
                  let call = Lint.call(rhs[0]), isRequest(call, ctx, types) else { return }
            guard case .ident(let resp) = lhs[0] else { return }
            // `resp, err = …` to a variable this function does not declare (a closure's captured
            // variable, the enclosing function's named result, a package variable): the response
            // leaves the function like a stored one.
            if op == .assign, resp.name != "_", !types.declared.contains(resp.name) { return }
            // A HEAD answer has no body; a request whose context this function cancels on
            // return, or further on with no return between, has its connection closed then (the
            // transport's read loop gives up on the body when the request's context is done).
            if isHead(call, ctx, frames) || cancelledOnReturn(call, frames, ctx) || lacksScheme(call, ctx) { return }
            // `main.main` outside loops: one response held until the process exits moments later
            // (httpx's example reads its last answer and ends); in a loop they pile up.
            let inLoop = frames.contains { $0.kind == .loop }
            if ctx.unit.name == "main.main", !inLoop { return }
            // The same in a command's handler, as `low`: a command-line tool exits when it returns.
            // Asked only when a finding is reported.
            func command() -> String? {
                !inLoop && Lint.isCommandHandler(ctx) ? commandReturns : isOptions(call, ctx) ? preflight : nil
            }
            // And in a function that runs once per process (`RunsOnce`): one response held, or a
            // few when the only loops around the request are short counted retries (dendrite's
            // three tries at GitHub's tag list, once per run).
            let inLongLoop = frames.contains { $0.kind == .loop && !Lint.isShortCountedLoop($0.owner) }
            let once = inLongLoop ? nil : inLoop ? runsOnceRetried : runsOnce
            if resp.name == "_" {
                // `_, err := c.Get(u); if err == nil { t.Fatal(…) }` or `if !errors.Is(err, …)`: a
                // failure is expected, and a failed request has no body. Only `if err != nil`
                // (or no check) goes on with a live response.
                let err = lhs[1].identName ?? "err"
                // Past declarations only an assertion of failure counts (`require.ErrorAs`), not
                // any statement naming err (a log line) or an `if` (a health probe's `err == nil`).
                if let next = checkAfter(frames, err), next.pos != frames.last?.next?.pos {
                    if assertsFailure(err, next: next) { return }
                } else if let next = frames.last?.next, Lint.mentions(next, err) {
                    switch next {
                    case .ifStmt(let check):
                        guard case .binary(.neq, let a, let b, _) = check.condition, a.identName == err, b.identName == "nil",
                              !failsOnSuccess(check, ctx) else { return }
                    case .expr:
                        return  // an assertion such as test.NotNil(t, err)
                    default:
                        break
                    }
                }
                if pollsForFailure(err, ctx) || servesNoBody(call, ctx) { return }
                let timed = clientTimesOut(call, ctx)
                ctx.report(Checks.bodyNotClosed, at: call.fun.pos, "the response is discarded, so its body can never be closed",
                           lowConfidence: timed == [] ? clientTimeout : command(), lowIfRunsOnce: once,
                           lowIfMakersTimed: pendingMakers(timed))
                return
            }
            let uses = statementsSeeing(resp.name, frames, body)
            if closesOrEscapes(resp.name, uses, ctx) || expectsNoBody(resp.name, uses, ctx)
                || assertsNilResponse(resp.name, frames, ctx) { return }
            // The next statement asserts that the request failed: its response is nil or, when a
            // CheckRedirect refused to follow, one whose body net/http has already closed. When
            // the test goes on to read the response (oxy's circuit-breaker tests read the 302's
            // Location), only an assertion that stops the test on success says so.
            if let err = lhs[1].identName, case let next = checkAfter(frames, err), assertsFailure(err, next: next),
               !uses.contains(where: { Lint.mentions($0, resp.name) }) || assertsFailure(err, next: next, fatally: true) { return }
            // A server whose handler writes no body: Content-Length 0, the transport hands back
            // http.NoBody and the connection is back in the pool (asked last: it follows handlers).
            if servesNoBody(call, ctx) { return }
            // `resp.Body.Read(buf)`: net/http hands back io.EOF with the last bytes of a
            // Content-Length body and recycles the connection then. Whether `buf` holds the whole
            // answer is not known here (a 2-byte buffer for qBittorrent's "Ok." does not).
            func isRead(_ x: Expr) -> Bool {
                guard let c = Lint.call(x), case .selector(let body, let m) = c.fun, m.name == "Read", c.args.count == 1,
                      case .selector(let r, let f) = body.unparenthesized, f.name == "Body" else { return false }
                return r.identName == resp.name
            }
            // Only a read that is a statement of its own after the response, not one under a
            // condition (`if debug { resp.Body.Read(buf) }`): every path then reads.
            let readOnce = uses.contains { s in
                switch s {
                case .expr(let x): return isRead(x)
                case .assign(_, _, let rhs, _): return rhs.count == 1 && isRead(rhs[0])
                default: return false
                }
            }
            let timed = clientTimesOut(call, ctx)
            ctx.report(Checks.bodyNotClosed, at: resp.pos, "\(resp.name).Body is never closed",
                       lowConfidence: timed == [] ? clientTimeout
                           : readOnce ? "the body is read with Body.Read: when the buffer holds the whole answer, net/http returns io.EOF with it and reuses the connection"
                           : command(),
                       lowIfRunsOnce: once, lowIfMakersTimed: pendingMakers(timed))
        }
    }

    /// The statements of the top-level declaration around the context's unit: a function's body,
    /// or the outermost function literal of a package-level initialiser (a Ginkgo suite's `var _ =
    /// Describe("…", func() {…})`, whose `BeforeEach` makes what its `It` closures use).
    static func declarationScope(_ ctx: CheckContext) -> [Stmt] {
        let inner = ctx.unit.body
        func encloses(_ b: Block) -> Bool { b.lbrace <= inner.lbrace && inner.rbrace <= b.rbrace }
        for decl in ctx.file.syntax?.decls ?? [] {
            switch decl {
            case .function(let f):
                if let b = f.body, encloses(b) { return b.statements }
            case .gen(let g):
                for case .value(_, _, let values) in g.specs {
                    for v in values {
                        var found: [Stmt]?
                        Walk.expr(v, intoFuncLits: false) { e in
                            if found == nil, case .funcLit(_, let b) = e, encloses(b) { found = b.statements }
                            return found == nil
                        }
                        if let found { return found }
                    }
                }
            }
        }
        return inner.statements
    }

    /// The statement after the current one in its list that checks the request's error: the next
    /// one, past `var` declarations without values (`var urlErr *url.Error` before
    /// `require.ErrorAs(t, err, &urlErr)`: cosmo's TLS tests).
    static func checkAfter(_ frames: [Frame], _ err: String) -> Stmt? {
        guard let frame = frames.last else { return nil }
        for next in frame.list.dropFirst(frame.index + 1) {
            // `var x T` with no value: it runs nothing that could set err or make a request.
            if Lint.isValuelessDeclaration(next), !Lint.mentions(next, err) { continue }
            return next
        }
        return nil
    }

    /// Whether `next`, the statement after a request, asserts that it failed: Gomega's
    /// `Expect(err).To(HaveOccurred())` (or `Should`, `MatchError(…)`), testify's
    /// `require.Error(t, err)`/`assert.Error`/`ErrorIs`/`ErrorContains`/`NotNil(t, err)`. A
    /// failed request has no response (kubevirt's TLS test expecting the handshake to fail), or
    /// only the one a refusing CheckRedirect stopped at, whose body net/http closes before
    /// returning it with the error.
    ///
    /// `fatally`: only assertions that stop the test when the request worked and that fail on a
    /// nil error whatever their other arguments (not `assert.*`, which only record, nor `ErrorIs`,
    /// which passes a nil error against a nil target).
    static func assertsFailure(_ err: String, next: Stmt?, fatally: Bool = false) -> Bool {
        guard case .expr(let x)? = next, let outer = Lint.call(x), case .selector(let chain, let verb) = outer.fun else { return false }
        // Gomega: Expect(err).To(HaveOccurred()) / Ω(err).Should(MatchError(…)).
        if ["To", "Should"].contains(verb.name), let expect = Lint.call(chain), expect.args.first?.identName == err,
           let matcher = outer.args.first.flatMap(Lint.call) {
            let name: String
            switch matcher.fun.unparenthesized {
            case .ident(let id): name = id.name
            case .selector(_, let id): name = id.name
            default: return false
            }
            return name == "HaveOccurred" || name == "MatchError"
        }
        // testify: require.Error(t, err), assert.ErrorIs(t, err, target), require.NotNil(t, err), or
        // a suite's s.Require().Error(err). Not t.Errorf or a logger's Error, which only report.
        var failures: Set<String> = ["Error", "Errorf", "ErrorIs", "ErrorAs", "ErrorContains", "EqualError", "NotNil"]
        if fatally { failures.remove("ErrorIs") }
        guard failures.contains(verb.name) else { return false }
        if let package = chain.unparenthesized.identName, package == "require" || package == "assert" && !fatally {
            return outer.args.dropFirst().first?.identName == err
        }
        if let suite = Lint.call(chain), case .selector(_, let accessor) = suite.fun,
           (fatally ? ["Require"] : ["Require", "Assert"]).contains(accessor.name) {
            return outer.args.first?.identName == err
        }
        return false
    }

    /// Why an unclosed body of a request made with a client that has a Timeout is `low`.
    static let clientTimeout = "the client's Timeout cancels the request, body included, when it expires; held only until then"

    /// A client timed if other packages' makers are (`clientTimesOut`): `low` with
    /// `clientTimeout` when they are.
    static func pendingMakers(_ timed: Set<String>?) -> LintFinding.PendingMakers? {
        guard let timed, !timed.isEmpty else { return nil }
        return LintFinding.PendingMakers(makers: timed, note: clientTimeout)
    }

    /// Why an unclosed body of an OPTIONS request is `low`.
    static let preflight = "an OPTIONS request (a CORS preflight) is answered with headers and, as a rule, no body: the connection then goes back to the pool"

    /// `c.Do(req)` where every request is made by `http.NewRequest[WithContext]` with the method
    /// `"OPTIONS"` or `http.MethodOptions` (`requestMethod`), the request looked up in the whole
    /// top-level declaration (a test's `BeforeEach` closure makes it, an `It` closure sends it): a
    /// CORS preflight, whose answer (fabric's configtxlator, tile38: `200`, `204`, `405`) is empty.
    static func isOptions(_ call: Call, _ ctx: CheckContext) -> Bool {
        guard let (_, name) = Lint.methodCall(call), name == "Do" else { return false }
        return requestMethod(call, ctx, scope: declarationScope(ctx)) == "OPTIONS"
    }

    /// Why an unclosed body in a command's handler, outside loops, is `low`.
    static let commandReturns = "the function is a command's handler: the response is held until the command returns, which in a command-line tool ends the process"

    /// Why an unclosed body in a function that runs once per process, outside loops, is `low`.
    static let runsOnce = "\(RunsOnce.reason): one response is held, not a growing number"
    static let runsOnceRetried = "\(RunsOnce.reason) and asks in a short counted retry loop: a few responses are held, not a growing number"

    /// Values, not names: the statements that can see the response assigned at the innermost
    /// frame's statement. Outside loops, that is what follows it (up to the next assignment to
    /// the same variable in the same list: `resp, err = c.Get(u2)` is another response), plus
    /// every `defer` of the function (a deferred closure sees the variable's last value, so it
    /// counts for every response). In a loop, the whole body, as earlier statements see it on
    /// the next iteration.
    static func statementsSeeing(_ name: String, _ frames: [Frame], _ body: [Stmt]) -> [Stmt] {
        guard !frames.contains(where: { $0.kind == .loop }), let innermost = frames.last else { return body }
        var uses: [Stmt] = []
        forEachStatement(body) { s, _ in
            if case .deferCall = s { uses.append(s) }
        }
        let rest = innermost.list[(innermost.index + 1)...]
        if let next = rest.firstIndex(where: { assigns(name, $0) }) {
            return uses + innermost.list[(innermost.index + 1)..<next]
        }
        for frame in frames { uses += frame.list[(frame.index + 1)...] }
        return uses
    }

    /// Whether `s` assigns a new value to `name` (`name, err = …`, `name := …`).
    static func assigns(_ name: String, _ s: Stmt) -> Bool {
        if case .assign(let lhs, let op, _, _) = s, op == .define || op == .assign { return lhs.contains { $0.identName == name } }
        return false
    }

    /// Whether the request goes to `srv.URL…` of an `httptest` server of this package whose
    /// handler writes no body, on every assignment of the request and URL variables.
    static func servesNoBody(_ call: Call, _ ctx: CheckContext) -> Bool {
        guard ctx.file.syntax != nil else { return false }
        // Local names are looked up in the whole top-level declaration (closures included).
        let scope = declarationScope(ctx)
        func values(_ e: Expr) -> [Expr]? {
            guard let name = e.identName else { return [e] }
            let assigned = BodilessServers.Resolver.assignments(to: name, in: scope, before: call.fun.pos)
            return assigned.isEmpty ? nil : assigned
        }
        var urls: [Expr] = []
        if let (_, method) = Lint.methodCall(call), method == "Do", !ctx.calls(call, "net/http", packageFunctions) {
            guard call.args.count == 1, let requests = values(call.args[0]) else { return false }
            for r in requests {
                // `&http.Request{Method: …, URL: u}`: the URL field (`u` from `url.Parse(srv.URL)`).
                if let u = requestLiteralURL(r, ctx) {
                    urls.append(u)
                    continue
                }
                guard let c = Lint.call(r), let (request, withContext) = requestCall(c, ctx) else { return false }
                urls.append(request.args[withContext ? 2 : 1])
            }
        } else {
            guard let first = call.args.first else { return false }
            urls = [first]
        }
        for u in urls {
            guard let candidates = values(u) else { return false }
            for candidate in candidates {
                var servers: [String] = []
                var path: String?
                var loopback: String?
                // A literal naming a host other than a loopback one (`https://hooks.example.com/x`).
                var remote = false
                Walk.expr(candidate) { x in
                    if case .selector(let base, let field) = x, field.name == "URL", let name = Lint.finalName(base) { servers.append(name) }
                    if let text = Lint.literalText(x) {
                        if path == nil { path = LocalMuxes.path(inLiteral: text) }
                        let local = LocalMuxes.loopbackPath(inLiteral: text)
                        if loopback == nil { loopback = local }
                        if local == nil, BodilessServers.unquoted(text).contains("://") { remote = true }
                    }
                    return true
                }
                // `fmt.Sprintf("https://localhost:%d/ready", port)` to a server started from a
                // mux this declaration builds: the mux's handlers for that path.
                if servers.isEmpty, let loopback, LocalMuxes.servesNoBody(loopback, scope, imports: ctx.imports, ctx) { continue }
                // `http.Post(fullURL(ln, "/test"), …)` to a router this declaration gives an
                // empty handler for that path (`engine.POST("/test", func(…) {})`).
                if servers.isEmpty, !remote, let path,
                   LocalMuxes.routesToEmptyHandlers(path, method: requestMethod(call, ctx), scope, imports: ctx.imports, ctx) {
                    continue
                }
                guard !servers.isEmpty, servers.allSatisfy({
                    ctx.package.servers.isBodiless($0, file: ctx.file.path, at: call.fun.pos, path: path,
                                                   method: requestMethod(call, ctx, scope: scope))
                }) else { return false }
            }
        }
        return !urls.isEmpty
    }

    /// The method the request sends: `GET` for `Get`, `POST` for `Post`/`PostForm`, and for `Do`
    /// the one every `http.NewRequest[WithContext]` it may send names (a literal or
    /// `http.MethodX`). Nil when unknown.
    /// `scope`: where `Do`'s request variable is looked up (the function's body by default).
    static func requestMethod(_ call: Call, _ ctx: CheckContext, scope: [Stmt]? = nil) -> String? {
        guard let (_, name) = Lint.methodCall(call) else { return nil }
        switch name {
        case "Get": return "GET"
        case "Post", "PostForm": return "POST"
        case "Do": break
        default: return nil
        }
        guard let requests = requests(call, ctx, scope: scope) else { return nil }
        let methods = Set(requests.map { r -> String? in
            guard let (c, withContext) = requestConstructor(r, ctx) else { return nil }
            let method = c.args[withContext ? 1 : 0].unparenthesized
            if let text = Lint.literalText(method) { return BodilessServers.unquoted(text).uppercased() }
            if let m = ctx.packageMember(method), m.path == "net/http", m.name.hasPrefix("Method") {
                return m.name.dropFirst("Method".count).uppercased()
            }
            return nil
        })
        return methods.count == 1 ? methods.first! : nil
    }

    /// The `URL` field of an `http.Request` composite literal (`&` or not).
    static func requestLiteralURL(_ e: Expr, _ ctx: CheckContext) -> Expr? {
        var literal = e.unparenthesized
        if case .unary(.and, let inner, _) = literal { literal = inner.unparenthesized }
        guard case .compositeLit(let type?, let elements, _, _) = literal, let m = ctx.packageMember(type.unparenthesized),
              m.path == "net/http", m.name == "Request" else { return nil }
        for case .keyValue(let key, let value, _) in elements where key.identName == "URL" { return value }
        return nil
    }

    /// The `*http.Request` values `Do(x)` may send: `x` itself, or every value assigned to it in
    /// `scope` (the function's body by default). Nil when unknown or not a `Do` call.
    static func requests(_ call: Call, _ ctx: CheckContext, scope: [Stmt]? = nil) -> [Expr]? {
        guard let (_, method) = Lint.methodCall(call), method == "Do", call.args.count == 1 else { return nil }
        guard let name = call.args[0].unparenthesized.identName else { return [call.args[0]] }
        let assigned = BodilessServers.Resolver.assignments(to: name, in: scope ?? ctx.unit.body.statements, skippingShadows: true)
        return assigned.isEmpty ? nil : assigned
    }

    /// The `http.NewRequest[WithContext]` call that makes request `r`, directly or through a
    /// one-argument helper of the `must.Get(http.NewRequest(…))` kind, and which of the two it is.
    static func requestConstructor(_ r: Expr, _ ctx: CheckContext) -> (call: Call, withContext: Bool)? {
        guard var c = Lint.call(r) else { return nil }
        if ctx.packageMember(c.fun).map({ $0.path != "net/http" && $0.path != "net/http/httptest" }) ?? true,
           c.args.count == 1, let inner = Lint.call(c.args[0]) { c = inner }
        return requestCall(c, ctx)
    }

    /// `c` itself when it is `http.NewRequest(method, url, body)`, `httptest.NewRequest` with the
    /// same arguments (a test clearing its `RequestURI` can send it), or
    /// `http.NewRequestWithContext(ctx, method, url, body)`, and which of the two it is.
    static func requestCall(_ c: Call, _ ctx: CheckContext) -> (call: Call, withContext: Bool)? {
        guard let m = ctx.packageMember(c.fun) else { return nil }
        if m.name == "NewRequest", m.path == "net/http" || m.path == "net/http/httptest", c.args.count == 3 { return (c, false) }
        if m.name == "NewRequestWithContext", m.path == "net/http", c.args.count == 4 { return (c, true) }
        return nil
    }

    /// A request to a literal URL with no scheme (`http.Get("example.com")`, a relative path):
    /// the client fails it with "unsupported protocol scheme" before sending, so there is never a
    /// response. For `c.Do(req)`, every request is made by `http.NewRequest[WithContext]` that way.
    static func lacksScheme(_ call: Call, _ ctx: CheckContext) -> Bool {
        func schemeless(_ u: Expr) -> Bool {
            guard let text = Lint.literalText(u.unparenthesized), text.hasPrefix("\"") || text.hasPrefix("`") else { return false }
            return !BodilessServers.unquoted(text).contains("://")
        }
        guard let requests = requests(call, ctx) else {
            guard let (_, method) = Lint.methodCall(call), method != "Do" || ctx.calls(call, "net/http", packageFunctions),
                  let first = call.args.first else { return false }
            return schemeless(first)
        }
        return requests.allSatisfy { r in
            guard let (c, withContext) = requestConstructor(r, ctx) else { return false }
            return schemeless(c.args[withContext ? 2 : 1])
        }
    }

    /// `http.Head(u)`, `c.Head(u)`, or `c.Do(req)` where the request is made by
    /// `http.NewRequest[WithContext]` (see `requestConstructor`) with the method `"HEAD"`,
    /// `http.MethodHead` or a constant named `HEAD`: the answer has no body, the transport puts the
    /// connection back at once. The request is the nearest assignment in the call's own statement
    /// list (`nearestRequest`), or else every assignment of it (past `req.WithContext(ctx)`).
    static func isHead(_ call: Call, _ ctx: CheckContext, _ frames: [Frame]) -> Bool {
        if ctx.calls(call, "net/http", ["Head"]) { return true }
        if let (_, method) = Lint.methodCall(call), method == "Head", !ctx.calls(call, "net/http", packageFunctions) { return true }
        func isHeadRequest(_ r: Expr) -> Bool {
            guard let (c, withContext) = requestConstructor(r, ctx) else { return false }
            let method = c.args[withContext ? 1 : 0].unparenthesized
            if Lint.literalText(method) == "\"HEAD\"" { return true }
            if case .selector(_, let field) = method { return field.name == "MethodHead" || field.name == "HEAD" }
            return false
        }
        if let (_, method) = Lint.methodCall(call), method == "Do", call.args.count == 1,
           let name = call.args[0].unparenthesized.identName, let nearest = nearestRequest(name, frames, ctx) {
            return isHeadRequest(nearest)
        }
        guard let requests = requests(call, ctx) else { return false }
        let name = call.args.first?.unparenthesized.identName
        // `req = req.WithContext(ctx)` keeps the method of a request made here; a parameter's or a
        // result's first value is unknown, however often it is re-contexted.
        if let name, ctx.unit.signatureNames.contains(name) { return false }
        let made = requests.filter { r in name.map { !rewraps(r, $0) } ?? true }
        return !made.isEmpty && made.allSatisfy(isHeadRequest)
    }

    /// `req.WithContext(ctx)` or `req.Clone(ctx)` of request `name`: the same method and URL.
    static func rewraps(_ value: Expr, _ name: String) -> Bool {
        guard let c = Lint.call(value), let (receiver, method) = Lint.methodCall(c) else { return false }
        return receiver.unparenthesized.identName == name && (method == "WithContext" || method == "Clone")
    }

    /// The request `Do(name)` sends when the statement list holding the call sets `name` before
    /// it: the value of the nearest statement there that assigns it, looking past `name =
    /// name.WithContext(ctx)` (ve-tos's tests reuse one `req` for PUT, HEAD and GET in turn;
    /// readflow's scraper puts a context on its HEAD). Nil, and every assignment counts, when the
    /// nearest one that assigns it does so inside a block or a function literal (a branch or a
    /// later call may have set another), or when the function has a `goto` or a label (a jump
    /// may skip it), writes `name` from a function literal anywhere, or takes `&name`.
    static func nearestRequest(_ name: String, _ frames: [Frame], _ ctx: CheckContext) -> Expr? {
        guard let innermost = frames.last else { return nil }
        let body = ctx.unit.body.statements
        var jumpsOrAliases = Lint.jumps(body)
        for s in body where !jumpsOrAliases {
            Walk.statements(s, intoFuncLits: true, { _ in !jumpsOrAliases }, { e in
                if case .unary(.and, let x, _) = e, x.unparenthesized.identName == name { jumpsOrAliases = true }
                if case .funcLit(_, let literal) = e,
                   literal.statements.contains(where: { !BodilessServers.Resolver.assignments(to: name, in: [$0]).isEmpty }) {
                    jumpsOrAliases = true
                }
                return !jumpsOrAliases
            })
        }
        guard !jumpsOrAliases else { return nil }
        for s in innermost.list[..<innermost.index].reversed() {
            guard !BodilessServers.Resolver.assignments(to: name, in: [s]).isEmpty else { continue }
            // The statement's own left-hand side, not one inside a block or literal of it.
            let own = BodilessServers.Resolver.ownValues(assigning: name, s)
            guard own.count == 1 else { return nil }
            if rewraps(own[0], name) { continue }
            return own[0]
        }
        return nil
    }

    /// `c.Do(req)` where every request carries a context `x` that this function made with
    /// `context.WithCancel/WithTimeout/WithDeadline(…)` (or their `Cause` forms) and whose
    /// cancel function it defers (`defer cancel()`) or calls later in the request's own statement
    /// list with no `return` on the way: `http.NewRequestWithContext(x, …)` or `req.WithContext(x)`;
    /// or the test's own context (`TestContexts`). When the function (the test) returns or the
    /// cancel runs, the transport's read loop sees the context done and closes the connection,
    /// so nothing stays held.
    static func cancelledOnReturn(_ call: Call, _ frames: [Frame], _ ctx: CheckContext) -> Bool {
        guard let requests = requests(call, ctx) else { return false }
        let body = ctx.unit.body.statements
        // Deferred at the top level of the function, so it runs on every return.
        var deferred = Set<String>()
        for case .deferCall(let c, _) in body where c.args.isEmpty {
            if let f = c.fun.identName { deferred.insert(f) }
        }
        var contexts: [String: String] = [:]  // context variable → its cancel variable
        var madeMoreThanOnce = Set<String>()
        forEachStatement(body) { s, _ in
            guard case .assign(let lhs, _, let rhs, _) = s, lhs.count == 2, rhs.count == 1, let c = Lint.call(rhs[0]),
                  let m = ctx.packageMember(c.fun), m.path == "context", LostCancel.constructors.contains(m.name),
                  let x = lhs[0].identName, let cancel = lhs[1].identName else { return }
            if contexts[x] != nil { madeMoreThanOnce.insert(x) }
            contexts[x] = cancel
        }
        let testing = testContexts(ctx)
        func cancelled(_ e: Expr) -> Bool {
            if testing.isTestContext(e) { return true }
            guard let x = e.unparenthesized.identName, let cancel = contexts[x] else { return false }
            return deferred.contains(cancel) || calledLater(cancel, frames)
                || !madeMoreThanOnce.contains(x) && calledBefore(cancel, frames)
        }
        // `req = req.WithContext(x)` earlier in the request's own statement list, with no other
        // assignment to `req` after it: whatever `req` was made with, it is sent on `x`.
        if let name = call.args.first?.unparenthesized.identName, let frame = frames.last {
            for earlier in frame.list[..<frame.index].reversed() {
                if case .assign(let lhs, _, let rhs, _) = earlier, lhs.count == 1, rhs.count == 1, lhs[0].identName == name {
                    if let c = Lint.call(rhs[0]), let (base, method) = Lint.methodCall(c), method == "WithContext",
                       c.args.count == 1, base.unparenthesized.identName == name, cancelled(c.args[0]) { return true }
                    break
                }
                if Lint.assigns(earlier, name) { break }
            }
        }
        return requests.allSatisfy { r in
            if let (c, withContext) = requestConstructor(r, ctx) { return withContext && cancelled(c.args[0]) }
            guard let c = Lint.call(r) else { return false }
            if let (_, method) = Lint.methodCall(c), method == "WithContext", c.args.count == 1 { return cancelled(c.args[0]) }
            return false
        }
    }

    /// Whether `f()` is a statement before the current one in its own list or an enclosing one,
    /// so it runs on every path to the request: the context is done before the request is sent,
    /// and the request fails at once with nothing to hold (3x-ui's test of a cancelled request).
    static func calledBefore(_ f: String, _ frames: [Frame]) -> Bool {
        frames.contains { frame in frame.list[..<frame.index].contains { callsAlone(f, $0) } }
    }

    /// Whether `s` is the statement `f()`.
    static func callsAlone(_ f: String, _ s: Stmt) -> Bool {
        guard case .expr(let e) = s, let c = Lint.call(e) else { return false }
        return c.args.isEmpty && c.fun.identName == f
    }

    /// Whether `f()` is a statement after the current one in its list, with no `return` in the
    /// statements before it (`resp, err := c.Do(req.WithContext(ctx)); …; cancel()`).
    static func calledLater(_ f: String, _ frames: [Frame]) -> Bool {
        guard let frame = frames.last else { return false }
        for next in frame.list.dropFirst(frame.index + 1) {
            if callsAlone(f, next) { return true }
            var returns = false
            Walk.statements(next, intoFuncLits: false, { st in
                if case .returnStmt = st { returns = true }
                return !returns
            }, { _ in true })
            if returns { return false }
        }
        return false
    }

    /// The test's own context: `t.Context()` (also `b.`, `f.`, `tb.`) of a `*testing.T`, `*testing.B`,
    /// `*testing.F` or `testing.TB` parameter of the enclosing declared function, or a local set
    /// to it there. The testing package cancels it when the test returns, as `defer cancel()` would.
    struct TestContexts {
        var testers: Set<String> = []
        var locals: Set<String> = []

        func isTestContext(_ e: Expr) -> Bool {
            if let name = e.unparenthesized.identName { return locals.contains(name) }
            guard let c = Lint.call(e), c.args.isEmpty, case .selector(let base, let m) = c.fun.unparenthesized,
                  m.name == "Context", let t = base.unparenthesized.identName else { return false }
            return testers.contains(t)
        }
    }

    static func testContexts(_ ctx: CheckContext) -> TestContexts {
        var out = TestContexts()
        guard let syntax = ctx.file.syntax, ctx.imports.values.contains("testing") else { return out }
        for case .function(let f) in syntax.decls {
            guard let b = f.body, b.lbrace <= ctx.unit.body.lbrace && ctx.unit.body.rbrace <= b.rbrace else { continue }
            for field in f.type.params {
                var type = field.type.unparenthesized
                if case .star(let inner, _) = type { type = inner.unparenthesized }
                guard let m = ctx.packageMember(type), m.path == "testing", ["T", "B", "F", "TB"].contains(m.name) else { continue }
                for name in field.names where name.name != "_" { out.testers.insert(name.name) }
            }
            guard !out.testers.isEmpty else { return out }
            forEachStatement(b.statements) { s, _ in
                guard case .assign(let lhs, _, let rhs, _) = s, lhs.count == 1, rhs.count == 1,
                      let name = lhs[0].identName, out.isTestContext(rhs[0]) else { return }
                out.locals.insert(name)
            }
        }
        return out
    }

    static func isRequest(_ call: Call, _ ctx: CheckContext, _ types: LocalTypes) -> Bool {
        if ctx.calls(call, "net/http", packageFunctions) { return true }
        guard let (receiver, method) = Lint.methodCall(call), clientMethods.contains(method) else { return false }
        if let member = ctx.packageMember(receiver), member.path == "net/http", member.name == "DefaultClient" { return true }
        return ctx.isNamed(types.type(of: receiver, facts: ctx.package), "net/http", "Client")
            || isClientByValues(receiver, ctx, types)
    }

    /// Whether `resp.Body.Close` is called, or `resp` / `resp.Body` goes anywhere that might close it.
    static func closesOrEscapes(_ name: String, _ body: [Stmt], _ ctx: CheckContext) -> Bool {
        var result = false
        // A named result leaves by a bare `return` (`func do() (resp *http.Response, err error)`).
        let namedResult = ctx.unit.type.results.contains { $0.names.contains { $0.name == name } }
        func isResp(_ x: Expr) -> Bool { x.identName == name }
        func isBody(_ x: Expr) -> Bool {
            if case .selector(let r, let f) = x.unparenthesized, f.name == "Body", isResp(r) { return true }
            return false
        }
        for s in body {
            Walk.statements(s, intoFuncLits: true, { statement in
                switch statement {
                case .returnStmt(let results, _):
                    // Returned as is; calls in the results are judged by their arguments.
                    if results.contains(where: { isResp($0.unparenthesized) || isBody($0) }) { result = true }
                    if results.isEmpty && namedResult { result = true }
                case .assign(let lhs, _, let rhs, _):
                    // Stored elsewhere: `x.resp = resp`, `r := resp.Body`.
                    if rhs.contains(where: { isResp($0.unparenthesized) || isBody($0) }) { result = true }
                    if lhs.contains(where: { isBody($0) }) { result = true }
                case .send(_, let value, _):
                    if Walk.contains(value, where: { isResp($0) }) { result = true }
                default: break
                }
                return !result
            }, { x in
                if result { return false }
                switch x {
                case .call(let c):
                    if case .selector(let inner, let m) = c.fun, m.name == "Close", isBody(inner) { result = true }
                    // `resp.Write(w)` sends the body on and closes it (net/http's Response.Write).
                    if case .selector(let inner, let m) = c.fun, m.name == "Write", c.args.count == 1, isResp(inner) {
                        result = true
                    }
                    let reader = ctx.packageMember(c.fun).map { readers.contains($0.name) } ?? false
                    // `io.ReadAll(resp.Body)`, `io.Copy(w, resp.Body)`: read to EOF, the transport
                    // puts the connection back in the pool without Close.
                    if let member = ctx.packageMember(c.fun), member.path == "io" || member.path == "io/ioutil",
                       (member.name == "ReadAll" && c.args.count == 1 && isBody(c.args[0]))
                        || (member.name == "Copy" && c.args.count == 2 && isBody(c.args[1])) {
                        result = true
                    }
                    for argument in c.args {
                        if isResp(argument.unparenthesized) { result = true }
                        if !reader && Walk.contains(argument, where: isBody) { result = true }
                    }
                case .compositeLit(_, let elements, _, _):
                    if elements.contains(where: { Walk.contains($0) { isResp($0) || isBody($0) } }) { result = true }
                case .keyValue(_, let v, _):
                    if isResp(v.unparenthesized) { result = true }
                default: break
                }
                return !result
            })
            if result { return true }
        }
        return result
    }

    /// Whether the function compares `resp.StatusCode` with 204 or 304 (`==` or an assertion call
    /// such as `require.Equal(t, http.StatusNoContent, resp.StatusCode)`): such responses have no
    /// body, the transport hands back `http.NoBody` and reuses the connection at once.
    static func expectsNoBody(_ name: String, _ body: [Stmt], _ ctx: CheckContext) -> Bool {
        func isStatus(_ x: Expr) -> Bool {
            if case .selector(let r, let f) = x.unparenthesized, f.name == "StatusCode", r.identName == name { return true }
            return false
        }
        func isBodiless(_ x: Expr) -> Bool {
            if let member = ctx.packageMember(x.unparenthesized), member.path == "net/http" {
                return member.name == "StatusNoContent" || member.name == "StatusNotModified"
            }
            if let text = Lint.literalText(x.unparenthesized) { return text == "204" || text == "304" }
            return false
        }
        var found = false
        for s in body where !found {
            Walk.statements(s, intoFuncLits: true, { _ in !found }, { x in
                switch x {
                case .binary(.eql, let a, let b, _):
                    if (isStatus(a) && isBodiless(b)) || (isStatus(b) && isBodiless(a)) { found = true }
                case .call(let c):
                    if c.args.contains(where: isStatus) && c.args.contains(where: isBodiless) { found = true }
                default: break
                }
                return !found
            })
        }
        return found
    }
}
