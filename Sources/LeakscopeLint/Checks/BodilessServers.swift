import LeakscopeGoSource

/// The package's `httptest` servers whose handlers never write a body (LS004's no-body rule).
///
/// A Go server whose handler returns without writing sends `Content-Length: 0`; the client's
/// transport then hands back `http.NoBody` and returns the connection to the pool before `Do`
/// returns, so an unclosed body of such a response holds nothing. A server counts as bodiless
/// only when its handler is visible in the package and every path to `w` is `w.Header()`,
/// `w.WriteHeader(…)` or a package function that does the same with it; a handler from another
/// package, a field, or anything else not resolved makes the server count as writing.
struct BodilessServers {
    /// One `name := httptest.NewServer(handler)` (`NewTLSServer`, `NewUnstartedServer`; `=`, or a
    /// package `var`).
    struct Creation {
        var name: String
        var file: String
        /// The byte range of the top-level declaration it is written in (nil: package var).
        var range: ClosedRange<Int32>?
        var handler: Expr
        var scope: Resolver.Scope
    }

    var creations: [Creation] = []
    /// Servers whose handler is replaced after creation (`srv.Config.Handler = …`).
    var overriddenNames: Set<String> = []
    var resolver: Resolver

    /// How many steps handler resolution follows (variables, package functions, muxes, `HandlerFunc`).
    static let depth = 10

    /// No servers.
    init() { resolver = Resolver(functions: [:], registrations: [:], packageValues: [:]) }

    init(_ package: GoPackage, functions: [String: FuncDecl]) {
        // Mux registrations and package variables by name, across the package.
        var registrations: [String: [Resolver.Registration]] = [:]
        var packageValues: [String: [(Expr, Resolver.Scope)]] = [:]
        var found: [Creation] = []
        var overridden = Set<String>()
        for file in package.files {
            guard let syntax = file.syntax else { continue }
            let imports = Lint.imports(syntax)
            guard imports.values.contains("net/http") || imports.values.contains("net/http/httptest") else { continue }
            for decl in syntax.decls {
                var statements: [Stmt] = []
                var range: ClosedRange<Int32>?
                switch decl {
                case .function(let f):
                    guard let body = f.body else { continue }
                    statements = body.statements
                    range = body.lbrace...body.rbrace
                case .gen(let g):
                    statements = [.decl(g)]
                }
                let scope = Resolver.Scope(body: range == nil ? [] : statements, imports: imports)
                for s in statements {
                    Walk.statements(s, { st in
                        var pairs: [(Expr, Expr)] = []
                        if case .assign(let lhs, _, let rhs, _) = st, lhs.count == rhs.count { pairs = Array(zip(lhs, rhs)) }
                        if case .decl(let g) = st {
                            for spec in g.specs {
                                if case .value(let names, _, let values) = spec, names.count == values.count {
                                    pairs += zip(names.map { Expr.ident($0) }, values)
                                }
                            }
                        }
                        for (l, _) in pairs {
                            // `srv.Config.Handler = h`, `srv.Config = &http.Server{…}`: another handler.
                            if let text = Lint.text(l), let range = text.firstRange(of: ".Config"),
                               text.hasSuffix(".Config.Handler") || text.hasSuffix(".Config") {
                                overridden.insert(String(text[..<range.lowerBound].split(separator: ".").last ?? ""))
                            }
                        }
                        for (l, r) in pairs {
                            guard let name = Lint.finalName(l) else { continue }
                            if range == nil { packageValues[name, default: []].append((r, scope)) }
                            if let c = Lint.call(r), let m = Resolver.member(c.fun, imports), m.path == "net/http/httptest",
                               ["NewServer", "NewTLSServer", "NewUnstartedServer"].contains(m.name), c.args.count == 1 {
                                found.append(Creation(name: name, file: file.path, range: range, handler: c.args[0], scope: scope))
                            }
                        }
                        return true
                    }, { x in
                        if let c = Lint.call(x), let (receiver, method) = Lint.methodCall(c), method == "Handle" || method == "HandleFunc",
                           c.args.count == 2, let mux = Lint.finalName(receiver) {
                            registrations[mux, default: []].append((Lint.literalText(c.args[0]).map(Self.unquoted), c.args[1], scope))
                        }
                        return true
                    })
                }
            }
        }
        creations = found
        overriddenNames = overridden
        resolver = Resolver(functions: functions, registrations: registrations, packageValues: packageValues)
    }

    static func unquoted(_ literal: String) -> String {
        literal.count >= 2 ? String(literal.dropFirst().dropLast()) : literal
    }

    /// Whether server `name`, seen from `offset` in `file`, is bodiless for a request to `path`
    /// (a literal of the URL, when there is one): the creations in the same top-level declaration
    /// if there are any, else every creation of that name in the package.
    func isBodiless(_ name: String, file: String, at offset: Int32, path: String?) -> Bool {
        guard !overriddenNames.contains(name) else { return false }
        let named = creations.filter { $0.name == name }
        let local = named.filter { $0.file == file && ($0.range?.contains(offset) ?? false) }
        let chosen = local.isEmpty ? named : local
        var resolver = resolver
        resolver.path = path
        return !chosen.isEmpty && chosen.allSatisfy { resolver.bodiless($0.handler, $0.scope, Self.depth) }
    }

    /// Follows a handler expression to the function bodies that serve it.
    struct Resolver {
        /// Where an expression is written: the top-level body (for local names) and the file's imports.
        struct Scope {
            var body: [Stmt]
            var imports: [String: String]
        }

        /// `mux.Handle(pattern, handler)`: the pattern when it is a literal.
        typealias Registration = (pattern: String?, handler: Expr, scope: Scope)

        var functions: [String: FuncDecl]
        var registrations: [String: [Registration]]
        var packageValues: [String: [(Expr, Scope)]]
        /// The request's path, when the URL has one as a literal (`srv.URL + "/ready"`): only the
        /// mux registrations for that pattern serve it.
        var path: String?

        /// The registrations that can serve `path`: those with the same pattern (or a subtree
        /// pattern ending in `/` that covers it) when any do, else all of them.
        func serving(_ registered: [Registration]) -> [Registration] {
            guard let path else { return registered }
            let matching = registered.filter { r in
                guard let pattern = r.pattern else { return false }
                let route = pattern.split(separator: " ").last.map(String.init) ?? pattern
                return route == path || (route.hasSuffix("/") && path.hasPrefix(route))
            }
            return matching.isEmpty ? registered : matching
        }

        static func member(_ e: Expr, _ imports: [String: String]) -> (path: String, name: String)? {
            guard case .selector(.ident(let x), let selected) = e.unparenthesized, let path = imports[x.name] else { return nil }
            return (path, selected.name)
        }

        /// Whether every handler `e` can stand for writes no body; false when not resolved.
        func bodiless(_ e: Expr, _ scope: Scope, _ depth: Int) -> Bool {
            guard depth > 0 else { return false }
            switch e.unparenthesized {
            case .funcLit(let type, let body):
                return handlerWritesNothing(type, body, scope, depth)
            case .call(let c):
                if let m = Self.member(c.fun, scope.imports), m.path == "net/http" {
                    if m.name == "HandlerFunc", c.args.count == 1 { return bodiless(c.args[0], scope, depth - 1) }
                    if m.name == "NewServeMux" { return false }  // resolved through its name's registrations
                    return false
                }
                // A package function that builds the handler: every result it returns.
                guard let name = c.fun.identName, let f = functions[name], let body = f.body else { return false }
                var results: [Expr] = []
                for s in body.statements {
                    Walk.statements(s, intoFuncLits: false, { st in
                        if case .returnStmt(let r, _) = st, let first = r.first { results.append(first) }
                        return true
                    }, { _ in true })
                }
                let inner = Scope(body: body.statements, imports: scope.imports)
                return !results.isEmpty && results.allSatisfy { bodiless($0, inner, depth - 1) }
            case .ident(let id):
                // A mux: every handler registered on a mux of this name, anywhere in the package.
                if let registered = registrations[id.name] {
                    return serving(registered).allSatisfy { bodiless($0.handler, $0.scope, depth - 1) }
                }
                // A local variable of the enclosing declaration.
                let local = Self.assignments(to: id.name, in: scope.body)
                if !local.isEmpty { return local.allSatisfy { bodiless($0, scope, depth - 1) } }
                if let f = functions[id.name], let body = f.body {
                    return handlerWritesNothing(f.type, body, scope, depth)
                }
                if let values = packageValues[id.name], !values.isEmpty {
                    return values.allSatisfy { bodiless($0.0, $0.1, depth - 1) }
                }
                return false
            default:
                return false
            }
        }

        /// Right-hand sides assigned to `name` in `body` (function literals included); with
        /// `before`, only the last one written before that offset.
        static func assignments(to name: String, in body: [Stmt], before: Int32? = nil) -> [Expr] {
            var out: [Expr] = []
            var latest: (pos: Int32, value: Expr)?
            for s in body {
                Walk.statements(s, { st in
                    // `req, err := http.NewRequest(…)`: the call stands for its first result.
                    if case .assign(let lhs, _, let rhs, let pos) = st, lhs.count == rhs.count || rhs.count == 1 {
                        for (l, r) in zip(lhs, rhs) where l.identName == name {
                            out.append(r)
                            if let before, pos < before, pos >= (latest?.pos ?? pos) { latest = (pos, r) }
                        }
                    }
                    if case .decl(let g) = st {
                        for spec in g.specs {
                            if case .value(let names, _, let values) = spec, names.count == values.count {
                                for (n, v) in zip(names, values) where n.name == name { out.append(v) }
                            }
                        }
                    }
                    return true
                }, { _ in true })
            }
            if before != nil { return latest.map { [$0.value] } ?? [] }
            return out
        }

        /// A `func(w http.ResponseWriter, r *http.Request)` body that only sets headers and status.
        func handlerWritesNothing(_ type: FuncType, _ body: Block, _ scope: Scope, _ depth: Int) -> Bool {
            guard let writerField = type.params.first, let member = Self.member(writerField.type, scope.imports),
                  member.path == "net/http", member.name == "ResponseWriter" else { return false }
            guard let writer = writerField.names.first?.name, writer != "_" else { return true }
            return writerUnused(writer, body.statements, scope, depth)
        }

        /// Whether `writer` is used in `statements` only for headers and the status, directly or
        /// through package functions that do the same.
        func writerUnused(_ writer: String, _ statements: [Stmt], _ scope: Scope, _ depth: Int) -> Bool {
            var writes = false
            func visit(_ x: Expr) -> Bool {
                if writes { return false }
                switch x {
                case .selector(.ident(let w), let selected) where w.name == writer:
                    if selected.name != "Header" && selected.name != "WriteHeader" { writes = true }
                    return false
                case .ident(let w) where w.name == writer:
                    writes = true
                    return false
                case .call(let c):
                    guard let name = c.fun.identName, let f = functions[name], let body = f.body,
                          let index = c.args.firstIndex(where: { $0.identName == writer }) else { return true }
                    // Handed to a package function: its parameter at that position must be unused too.
                    let params = f.type.params.flatMap { field in field.names.map { $0.name } }
                    guard depth > 1, index < params.count, params.count == c.args.count,
                          writerUnused(params[index], body.statements, Scope(body: body.statements, imports: scope.imports), depth - 1)
                    else { writes = true; return false }
                    for (i, argument) in c.args.enumerated() where i != index { Walk.expr(argument, visit) }
                    return false
                default:
                    return true
                }
            }
            for s in statements { Walk.stmt(s, expr: visit) }
            return !writes
        }
    }
}
