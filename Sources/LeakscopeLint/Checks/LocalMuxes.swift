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

    /// Whether the declaration `body` builds exactly one local mux that is used besides its
    /// registrations, registers `path` on it literally, and every handler registered for that
    /// path writes no body.
    static func servesNoBody(_ path: String, _ body: [Stmt], imports: [String: String], _ ctx: CheckContext) -> Bool {
        var muxes: Set<String> = []
        var registered: [(pattern: String, handler: Expr)] = []
        var otherUses: [String: Int] = [:]
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
                    registered.append((mux + " " + BodilessServers.unquoted(pattern), c.args[1]))
                    otherUses[mux, default: 0] -= 1
                }
                if case .ident(let id) = x { otherUses[id.name, default: 0] += 1 }
                return true
            })
        }
        // The mux's name is counted once where it is declared and once per registration.
        guard muxes.count == 1, let mux = muxes.first, (otherUses[mux] ?? 0) > 1 else { return false }
        let handlers = registered.compactMap { r -> Expr? in
            guard r.pattern.hasPrefix(mux + " ") else { return nil }
            let route = r.pattern.split(separator: " ").last.map(String.init) ?? ""
            return route == path ? r.handler : nil
        }
        let resolver = ctx.package.servers.resolver
        let scope = BodilessServers.Resolver.Scope(body: body, imports: imports)
        return !handlers.isEmpty && handlers.allSatisfy { resolver.bodiless($0, scope, BodilessServers.depth) }
    }
}
