import LeakscopeGoSource

/// LS004's no-body rule for servers that are not `httptest` ones: a declaration that builds
/// `mux := http.NewServeMux()`, registers handlers on it, hands it on (`startServer(t, mux)`,
/// `&http.Server{Handler: mux}`) and requests a URL whose literal path is one of the mux's
/// patterns, such as `fmt.Sprintf("https://localhost:%d/remote-addr", port)`. When every
/// handler that mux registers for exactly that path writes no body, the answer is
/// `Content-Length: 0` and an unclosed body holds nothing (see `BodilessServers`).
enum LocalMuxes {
    /// The path of a URL literal: `"/ready"`, or what follows the host in
    /// `"http://localhost:%d/ready?x=1"`; nil when there is none.
    static func path(inLiteral literal: String) -> String? {
        let text = BodilessServers.unquoted(literal)
        var rest = Substring(text)
        if let scheme = text.firstRange(of: "://") {
            rest = text[scheme.upperBound...]
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            rest = rest[slash...]
        }
        guard rest.hasPrefix("/") else { return nil }
        let path = rest.prefix { $0 != "?" && $0 != "#" }
        // A formatted or unfinished path (`/users/%s`, `"/v1/" + id`) names no one pattern.
        return path.contains("%") || path.hasSuffix("/") && path.count > 1 ? nil : String(path)
    }

    /// The path of a URL literal naming a loopback host (`"http://localhost:%d/ready"`,
    /// `"https://127.0.0.1:8080/x"`, `[::1]`): the only URLs a mux of this process can answer.
    static func loopbackPath(inLiteral literal: String) -> String? {
        let text = BodilessServers.unquoted(literal)
        guard let scheme = text.firstRange(of: "://") else { return nil }
        let rest = text[scheme.upperBound...]
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let name = host.hasPrefix("[") ? host.prefix { $0 != "]" } + "]" : host.prefix { $0 != ":" }
        guard ["localhost", "127.0.0.1", "[::1]"].contains(String(name)) else { return nil }
        return path(inLiteral: literal)
    }

    /// What one declaration builds: its `http.NewServeMux()` locals, the literal patterns
    /// registered on them, how often each name is used otherwise, and every router
    /// registration of a literal path (`engine.POST("/test", func(…) {})`, any receiver).
    struct Scan {
        var muxes: Set<String> = []
        var registered: [(mux: String, pattern: String, handler: Expr)] = []
        var otherUses: [String: Int] = [:]
        var routes: [Route] = []
    }

    /// A handler registered for a literal path by a router method of the web frameworks.
    struct Route {
        var pattern: String
        /// The request method the registration answers (`GET` for `r.GET`/`r.Get`), or nil
        /// for any (`Any`, `Handle`, `HandleFunc`).
        var method: String?
        /// Whether the handler is a function literal with an empty body: every framework, and
        /// net/http, answers that with a status and `Content-Length: 0`.
        var empty: Bool
    }

    /// Two-argument router methods (path, handler) of gin, echo, chi, fiber, hertz, gorilla/mux
    /// and net/http, and the request method each answers ("" for any).
    static let routeMethods: [String: String] = [
        "GET": "GET", "Get": "GET", "POST": "POST", "Post": "POST", "PUT": "PUT", "Put": "PUT",
        "PATCH": "PATCH", "Patch": "PATCH", "DELETE": "DELETE", "Delete": "DELETE",
        "Any": "", "Handle": "", "HandleFunc": "",
    ]

    /// Whether the declaration registers a route for exactly `path` and every such registration
    /// is an empty handler literal answering `method` (nil: a method the check could not tell,
    /// which only an any-method route answers for sure). A request for a path the declaration
    /// routes nowhere gets the router's 404 page, and a route of another method its 405 text:
    /// both bodies. (A router with a base path, hertz's `WithBasePath("/hertz")`, is not
    /// followed: `/api/test` may be another router's, or net/http's 404.)
    static func routesToEmptyHandlers(_ path: String, method: String?, _ body: [Stmt], imports: [String: String],
                                      _ ctx: CheckContext) -> Bool {
        let matching = scan(of: body, imports: imports, ctx).routes.filter { $0.pattern.count > 1 && $0.pattern == path }
        return !matching.isEmpty && matching.allSatisfy { $0.empty && ($0.method == nil || $0.method == method) }
    }

    /// The declaration's scan, made once: every unclosed response of the declaration asks.
    static func scan(of body: [Stmt], imports: [String: String], _ ctx: CheckContext) -> Scan {
        guard let first = body.first else { return Scan() }
        let key = "\(ctx.file.path):\(first.pos)"
        if let known = ctx.package.localMuxes.byKey[key] { return known }
        let made = scan(body, imports)
        ctx.package.localMuxes.byKey[key] = made
        return made
    }

    /// Whether the declaration `body` builds exactly one local mux that is used besides its
    /// registrations, registers `path` on it literally (no method in the pattern: a GET to a
    /// `POST /x` route gets a 405 with a body), and every handler registered for that path
    /// writes no body.
    static func servesNoBody(_ path: String, _ body: [Stmt], imports: [String: String], _ ctx: CheckContext) -> Bool {
        let scan = scan(of: body, imports: imports, ctx)
        // The mux's name is counted once where it is declared and once per registration.
        guard scan.muxes.count == 1, let mux = scan.muxes.first, (scan.otherUses[mux] ?? 0) > 1 else { return false }
        let handlers = scan.registered.filter { $0.mux == mux && $0.pattern == path }.map(\.handler)
        let resolver = ctx.package.servers.resolver
        let scope = BodilessServers.Resolver.Scope(body: body, imports: imports)
        return !handlers.isEmpty && handlers.allSatisfy { resolver.bodiless($0, scope, BodilessServers.depth) }
    }

    static func scan(_ body: [Stmt], _ imports: [String: String]) -> Scan {
        var muxes: Set<String> = []
        var registered: [(mux: String, pattern: String, handler: Expr)] = []
        var otherUses: [String: Int] = [:]
        var routes: [Route] = []
        for s in body {
            Walk.statements(s, { st in
                if case .assign(let lhs, _, let rhs, _) = st, lhs.count == 1, rhs.count == 1, let name = lhs[0].identName,
                   let c = Lint.call(rhs[0]), let m = BodilessServers.Resolver.member(c.fun, imports),
                   m.path == "net/http", m.name == "NewServeMux" {
                    muxes.insert(name)
                }
                return true
            }, { x in
                if let c = Lint.call(x), let (receiver, method) = Lint.methodCall(c), method == "Handle" || method == "HandleFunc",
                   c.args.count == 2, let mux = receiver.unparenthesized.identName, let pattern = Lint.literalText(c.args[0]) {
                    registered.append((mux, BodilessServers.unquoted(pattern), c.args[1]))
                    otherUses[mux, default: 0] -= 1
                }
                if let c = Lint.call(x), let (_, method) = Lint.methodCall(c), let answers = routeMethods[method], c.args.count == 2,
                   let pattern = Lint.literalText(c.args[0]).map(BodilessServers.unquoted), pattern.hasPrefix("/") {
                    var empty = false
                    if case .funcLit(_, let handler) = c.args[1].unparenthesized { empty = handler.statements.isEmpty }
                    routes.append(Route(pattern: pattern, method: answers.isEmpty ? nil : answers, empty: empty))
                }
                if case .ident(let id) = x { otherUses[id.name, default: 0] += 1 }
                return true
            })
        }
        return Scan(muxes: muxes, registered: registered, otherUses: otherUses, routes: routes)
    }
}
