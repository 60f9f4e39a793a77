import LeakscopeGoSource

/// LS004: an `*http.Response` from `http.Get/Head/Post/PostForm` or an `*http.Client`'s
/// `Do/Get/Head/Post/PostForm` whose `Body.Close` is never called and that is not handed to
/// anything that could close it.
enum BodyClose {
    static let packageFunctions: Set<String> = ["Get", "Head", "Post", "PostForm"]
    static let clientMethods: Set<String> = ["Do", "Get", "Head", "Post", "PostForm"]
    /// Functions that read a body without closing it.
    static let readers: Set<String> = ["ReadAll", "Copy", "CopyN", "CopyBuffer", "NewDecoder", "NewReader", "NewScanner", "LimitReader", "ReadFull"]

    static func run(_ context: inout CheckContext) {
        let ctx = context
        let types = LocalTypes(ctx.unit)
        let body = ctx.unit.body.statements
        forEachStatement(body) { s, frames in
            guard case .assign(let lhs, let op, let rhs, _) = s, lhs.count == 2, rhs.count == 1, op == .define || op == .assign,
                  let call = Lint.call(rhs[0]), isRequest(call, ctx, types) else { return }
            guard case .ident(let resp) = lhs[0] else { return }
            if resp.name == "_" {
                // `_, err := c.Get(u); if err == nil { t.Fatal(…) }` or `if !errors.Is(err, …)`: a
                // failure is expected, and a failed request has no body. Only `if err != nil`
                // (or no check) goes on with a live response.
                let err = lhs[1].identName ?? "err"
                if let frame = frames.last, frame.index + 1 < frame.list.count, Lint.mentions(frame.list[frame.index + 1], err) {
                    switch frame.list[frame.index + 1] {
                    case .ifStmt(let check):
                        guard case .binary(.neq, let a, let b, _) = check.condition, a.identName == err, b.identName == "nil" else { return }
                    case .expr:
                        return  // an assertion such as test.NotNil(t, err)
                    default:
                        break
                    }
                }
                context.report(Checks.bodyNotClosed, at: call.fun.pos, "the response is discarded, so its body can never be closed")
                return
            }
            if closesOrEscapes(resp.name, body, ctx) || expectsNoBody(resp.name, body, ctx) { return }
            context.report(Checks.bodyNotClosed, at: resp.pos, "\(resp.name).Body is never closed")
        }
    }

    static func isRequest(_ call: Call, _ ctx: CheckContext, _ types: LocalTypes) -> Bool {
        if ctx.calls(call, "net/http", packageFunctions) { return true }
        guard let (receiver, method) = Lint.methodCall(call), clientMethods.contains(method) else { return false }
        if let member = ctx.packageMember(receiver), member.path == "net/http", member.name == "DefaultClient" { return true }
        return ctx.isNamed(types.type(of: receiver, facts: ctx.package), "net/http", "Client")
    }

    /// Whether `resp.Body.Close` is called, or `resp` / `resp.Body` goes anywhere that might close it.
    static func closesOrEscapes(_ name: String, _ body: [Stmt], _ ctx: CheckContext) -> Bool {
        var result = false
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
