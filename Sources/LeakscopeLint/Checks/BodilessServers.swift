import LeakscopeGoSource

/// The package's `httptest` servers whose handlers never write a body (LS004's no-body rule).
///
/// A Go server whose handler returns without writing sends `Content-Length: 0`; the client's
/// transport then hands back `http.NoBody` and returns the connection to the pool before `Do`
/// returns, so an unclosed body of such a response holds nothing. A server counts as bodiless
/// only when its handler is visible in the package and every path to `w` is `w.Header()`,
/// `w.WriteHeader(…)` or a package function that does the same with it; a handler from another
/// package, a field, or anything else not resolved makes the server count as writing.
///
/// A handler may also be a value of one of the package's named types (`&FakeHandler{StatusCode: 200}`,
/// directly or through a local variable): its `ServeHTTP` method is followed like a handler
/// function, and there `w.Write(f.Body)` or `w.Write([]byte(f.Body))` writes nothing when `Body` is
/// a field of the receiver left out of the literal (its zero value is empty: `Write` of no bytes
/// sends none, and the server still answers `Content-Length: 0`) and nothing can set it later:
/// outside the type's own methods no assignment in the package names that field, `ServeHTTP` does
/// not assign it, and the local variable is used only as the server's handler and for calls of
/// methods that do not assign it either.
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

    /// `methods`: the package's methods by `T.m` (as `PackageFacts` collects them), for handler types.
    /// `imports`: each file's imports by path (`PackageFacts.importsByFile`).
    init(_ package: GoPackage, imports importsByFile: [String: [String: String]], functions: [String: FuncDecl],
         functionFiles: [String: SourceFile] = [:], methods: [String: (decl: FuncDecl, file: SourceFile)] = [:]) {
        // Mux registrations and package variables by name, across the package.
        var registrations: [String: [Resolver.Registration]] = [:]
        var packageValues: [String: [(Expr, Resolver.Scope)]] = [:]
        var found: [Creation] = []
        var overridden = Set<String>()
        for file in package.files {
            guard let syntax = file.syntax else { continue }
            let imports = importsByFile[file.path] ?? [:]
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
                let scope = Resolver.Scope(body: range == nil ? [] : statements, imports: imports, declaration: range)
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
                        if let c = Lint.call(x), let (receiver, method) = Lint.methodCall(c), c.args.count == 2,
                           method == "Handle" || method == "HandleFunc"
                            || (Self.routeMethods.contains(method) && Lint.literalText(c.args[0]) != nil),
                           let mux = Lint.finalName(receiver) {
                            registrations[mux, default: []].append((Lint.literalText(c.args[0]).map(Self.unquoted), c.args[1], scope,
                                                                    Self.routeMethods.contains(method) ? method.uppercased() : nil))
                        }
                        return true
                    })
                }
            }
        }
        creations = found
        overriddenNames = overridden
        resolver = Resolver(functions: functions, registrations: registrations, packageValues: packageValues)
        resolver.handlerTypes = HandlerTypes(package, methods: methods)
        resolver.methods = methods
        resolver.functionImports = functionFiles.mapValues { $0.syntax.map(Lint.imports) ?? [:] }
    }

    /// A router's per-HTTP-method registrations (`r.POST("/doc", h)`: httprouter, chi, and the
    /// package's own routers), counted only with a literal pattern.
    static let routeMethods: Set<String> = [
        "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS",
        "Get", "Post", "Put", "Patch", "Delete", "Head", "Options",
    ]

    static func unquoted(_ literal: String) -> String {
        literal.count >= 2 ? String(literal.dropFirst().dropLast()) : literal
    }

    /// Whether server `name`, seen from `offset` in `file`, is bodiless for a request to `path`
    /// (a literal of the URL, when there is one): the creations in the same top-level declaration
    /// if there are any, else every creation of that name in the package.
    func isBodiless(_ name: String, file: String, at offset: Int32, path: String?, method: String? = nil) -> Bool {
        guard !overriddenNames.contains(name) else { return false }
        let named = creations.filter { $0.name == name }
        let local = named.filter { $0.file == file && ($0.range?.contains(offset) ?? false) }
        let chosen = local.isEmpty ? named : local
        var resolver = resolver
        resolver.path = path
        resolver.requestMethod = method
        return !chosen.isEmpty && chosen.allSatisfy { resolver.bodiless($0.handler, $0.scope, Self.depth) }
    }

    /// Follows a handler expression to the function bodies that serve it.
    struct Resolver {
        /// Where an expression is written: the top-level body (for local names) and the file's imports.
        struct Scope {
            var body: [Stmt]
            var imports: [String: String]
            /// Parameters of the function or method being followed, bound to the caller's
            /// arguments (`Middleware(h)` called as `m.Middleware(testHandler())`: `h`).
            var bindings: [String: Binding] = [:]
            /// The byte range of the top-level declaration `body` belongs to, for the scopes of
            /// the package's declarations (nil: a package `var`, or a body being followed).
            var declaration: ClosedRange<Int32>? = nil
        }

        /// An argument expression and the scope it is written in.
        struct Binding {
            var value: Expr
            var scope: Scope
        }

        /// `mux.Handle(pattern, handler)`: the pattern when it is a literal.
        /// `method`: the HTTP method of a router's per-method registration (`r.POST`), nil for `Handle`.
        typealias Registration = (pattern: String?, handler: Expr, scope: Scope, method: String?)

        var functions: [String: FuncDecl]
        var registrations: [String: [Registration]]
        var packageValues: [String: [(Expr, Scope)]]
        /// The request's path, when the URL has one as a literal (`srv.URL + "/ready"`): only the
        /// mux registrations for that pattern serve it.
        var path: String?
        /// The request's HTTP method, when known (`http.Post`, a literal or `http.MethodX` in the request).
        var requestMethod: String?
        /// The package's types with a `ServeHTTP` method.
        var handlerTypes = HandlerTypes()
        /// The package's methods by `T.m`, for handlers built by a method (`NewAuth(k).Middleware(h)`).
        var methods: [String: (decl: FuncDecl, file: SourceFile)] = [:]
        /// The imports of the file each of `functions` is declared in.
        var functionImports: [String: [String: String]] = [:]

        /// The scope of package function `name`'s own body (its file's imports).
        func scope(ofFunction name: String, _ body: Block, bindings: [String: Binding] = [:]) -> Scope {
            Scope(body: body.statements, imports: functionImports[name] ?? [:], bindings: bindings)
        }

        /// The registrations that can serve `path`: those with the same pattern (or a subtree
        /// pattern ending in `/` that covers it) when any do, else all of them.
        /// For a router's per-method registrations, only those of the request's method and a
        /// route matching its path (`routeMatches`); nil — not bodiless — when the method or path
        /// is unknown or no route matches, since the router answers that itself (404, 405, with
        /// a body).
        func serving(_ registered: [Registration]) -> [Registration]? {
            if registered.contains(where: { $0.method != nil }) {
                guard let path, let requestMethod else { return nil }
                let matching = registered.filter { r in
                    r.method == requestMethod && r.pattern.map { Self.routeMatches($0, path) } == true
                }
                return matching.isEmpty ? nil : matching
            }
            guard let path else { return registered }
            let matching = registered.filter { r in
                guard let pattern = r.pattern else { return false }
                let route = pattern.split(separator: " ").last.map(String.init) ?? pattern
                return route == path || (route.hasSuffix("/") && path.hasPrefix(route))
            }
            return matching.isEmpty ? registered : matching
        }

        /// Whether `pattern` (`/items`, `/users/{id}`, `/users/:id`) serves `path`: segment by
        /// segment, a wildcard matching any, on the whole path or on its end (a router mounted
        /// under a prefix: chronograf's `MountableRouter` serves `/chronograf/doc` by `/doc`).
        static func routeMatches(_ pattern: String, _ path: String) -> Bool {
            let route = pattern.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            let asked = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            guard !route.isEmpty, asked.count >= route.count else { return false }
            return zip(route, asked.suffix(route.count)).allSatisfy { r, a in
                r == a || r.hasPrefix("{") || r.hasPrefix(":") || r.hasPrefix("*")
            }
        }

        /// Whether the local `name` of this declaration is a router made here with no routes:
        /// every value it gets is a composite literal, `http.NewServeMux()`, or a package
        /// function's call whose body registers nothing (`newRouter()`). Only then are the
        /// routes this declaration registers all it has.
        func isFreshRouter(_ name: String, _ scope: Scope) -> Bool {
            let values = Self.assignments(to: name, in: scope.body)
            return !values.isEmpty && values.allSatisfy { value in
                var v = value.unparenthesized
                if case .unary(.and, let inner, _) = v { v = inner.unparenthesized }
                if case .compositeLit = v { return true }
                guard case .call(let c) = v else { return false }
                if let m = Self.member(c.fun, scope.imports) { return m.path == "net/http" && m.name == "NewServeMux" }
                guard let f = c.fun.identName, let body = functions[f]?.body else { return false }
                return !body.statements.contains { s in
                    Walk.contains(s) { x in
                        guard let call = Lint.call(x), let (_, method) = Lint.methodCall(call) else { return false }
                        return method == "Handle" || method == "HandleFunc" || BodilessServers.routeMethods.contains(method)
                    }
                }
            }
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
                // A method that builds the handler (`NewAuth(key).Middleware(h)`): every result it
                // returns, its parameters bound to the arguments.
                if case .selector(let base, let method) = c.fun.unparenthesized,
                   let typeName = typeName(of: base, scope, depth), let m = methods[typeName + "." + method.name],
                   let body = m.decl.body {
                    let imports = m.file.syntax.map(Lint.imports) ?? [:]
                    let inner = Scope(body: body.statements, imports: imports, bindings: bind(m.decl.type, c.args, scope))
                    let results = Self.results(body)
                    return !results.isEmpty && results.allSatisfy { bodiless($0, inner, depth - 1) }
                }
                // A package function that builds the handler: every result it returns.
                guard let name = c.fun.identName, let f = functions[name], let body = f.body else { return false }
                let results = Self.results(body)
                let inner = self.scope(ofFunction: name, body, bindings: bind(f.type, c.args, scope))
                return !results.isEmpty && results.allSatisfy { bodiless($0, inner, depth - 1) }
            case .unary(.and, let x, _):
                return bodiless(x, scope, depth - 1)
            case .compositeLit:
                return typedHandler(e, scope, variable: nil, depth)
            case .ident(let id):
                // A parameter of the function being followed: the caller's argument.
                if let bound = scope.bindings[id.name], Self.assignments(to: id.name, in: scope.body).isEmpty {
                    return bodiless(bound.value, bound.scope, depth - 1)
                }
                // A mux: every handler registered on a mux of this name, anywhere in the package;
                // for a local of this declaration (each test's own router), those registered here.
                if let registered = registrations[id.name] {
                    let own = registered.filter { $0.scope.declaration != nil && $0.scope.declaration == scope.declaration }
                    let chosen = !own.isEmpty && isFreshRouter(id.name, scope) ? own : registered
                    guard let served = serving(chosen) else { return false }
                    return served.allSatisfy { bodiless($0.handler, $0.scope, depth - 1) }
                }
                // A local variable of the enclosing declaration.
                let local = Self.assignments(to: id.name, in: scope.body)
                if !local.isEmpty {
                    return local.allSatisfy { value in
                        if case .compositeLit = value.unparenthesized { return typedHandler(value, scope, variable: id.name, depth) }
                        if case .unary(.and, let inner, _) = value.unparenthesized, case .compositeLit = inner.unparenthesized {
                            return typedHandler(inner, scope, variable: id.name, depth)
                        }
                        return bodiless(value, scope, depth - 1)
                    }
                }
                if let f = functions[id.name], let body = f.body {
                    return handlerWritesNothing(f.type, body, self.scope(ofFunction: id.name, body), depth)
                }
                if let values = packageValues[id.name], !values.isEmpty {
                    return values.allSatisfy { bodiless($0.0, $0.1, depth - 1) }
                }
                return false
            default:
                return false
            }
        }

        /// The first result of every return in `body` (not in literals).
        static func results(_ body: Block) -> [Expr] {
            var out: [Expr] = []
            for s in body.statements {
                Walk.statements(s, intoFuncLits: false, { st in
                    if case .returnStmt(let r, _) = st, let first = r.first { out.append(first) }
                    return true
                }, { _ in true })
            }
            return out
        }

        /// `type`'s parameters bound to `args` written in `scope` (none when the counts differ or
        /// a parameter is variadic).
        func bind(_ type: FuncType, _ args: [Expr], _ scope: Scope) -> [String: Binding] {
            let names = type.params.flatMap { field in field.names.map(\.name) }
            guard names.count == args.count, !type.params.contains(where: \.isVariadic) else { return [:] }
            var out: [String: Binding] = [:]
            for (name, arg) in zip(names, args) where name != "_" { out[name] = Binding(value: arg, scope: scope) }
            return out
        }

        /// The package type a receiver expression has: `&T{…}`, `T{…}`, a call of a package
        /// function whose every result is one of those, or a local set from one of them.
        func typeName(of e: Expr, _ scope: Scope, _ depth: Int) -> String? {
            guard depth > 0 else { return nil }
            var x = e.unparenthesized
            if case .unary(.and, let inner, _) = x { x = inner.unparenthesized }
            switch x {
            case .compositeLit(let type?, _, _, _):
                return type.unparenthesized.identName
            case .call(let c):
                guard let name = c.fun.identName, let f = functions[name], let body = f.body else { return nil }
                let names = Set(Self.results(body).map { typeName(of: $0, self.scope(ofFunction: name, body), depth - 1) })
                guard names.count == 1, let only = names.first else { return nil }
                return only
            case .ident(let id):
                let values = Self.assignments(to: id.name, in: scope.body)
                let names = Set(values.map { typeName(of: $0, scope, depth - 1) })
                guard names.count == 1, let only = names.first else { return nil }
                return only
            default:
                return nil
            }
        }

        /// Right-hand sides assigned to `name` in `body` (function literals included); with
        /// `before`, only the last one written before that offset. `skippingShadows`: not in the
        /// function literals that declare a `name` of their own (a parameter, `name :=`, `var
        /// name`): theirs is another variable (3x-ui's test, whose `assertProxy` literal makes its
        /// own `req`).
        static func assignments(to name: String, in body: [Stmt], before: Int32? = nil, skippingShadows: Bool = false) -> [Expr] {
            var out: [Expr] = []
            var latest: (pos: Int32, value: Expr)?
            for s in body {
                Walk.statements(s, { st in
                    let values = ownValues(assigning: name, st)
                    out += values
                    if let before, case .assign(_, _, _, let pos) = st, pos < before {
                        for r in values where pos >= (latest?.pos ?? pos) { latest = (pos, r) }
                    }
                    return true
                }, { e in
                    guard skippingShadows, case .funcLit(let type, let literal) = e else { return true }
                    return !declares(name, type, literal.statements)
                })
            }
            if before != nil { return latest.map { [$0.value] } ?? [] }
            return out
        }

        /// Whether a function literal with this signature and body declares `name` itself.
        static func declares(_ name: String, _ type: FuncType, _ body: [Stmt]) -> Bool {
            (type.params + type.results).contains { $0.names.contains { $0.name == name } }
                || Lint.declares(name, in: body, intoFuncLits: false)
        }

        /// The right-hand sides statement `st` itself gives `name` (not a block or literal inside
        /// it): `name, err := …` (`req, err := http.NewRequest(…)`: the call stands for its first
        /// result), `name = …`, `var name = …`.
        static func ownValues(assigning name: String, _ st: Stmt) -> [Expr] {
            var out: [Expr] = []
            if case .assign(let lhs, _, let rhs, _) = st, lhs.count == rhs.count || rhs.count == 1 {
                for (l, r) in zip(lhs, rhs) where l.identName == name { out.append(r) }
            }
            if case .decl(let g) = st {
                for case .value(let names, _, let values) in g.specs where names.count == values.count {
                    for (n, v) in zip(names, values) where n.name == name { out.append(v) }
                }
            }
            return out
        }

        /// A `func(w http.ResponseWriter, r *http.Request)` body that only sets headers and status
        /// (`empty`: arguments of `w.Write` known to hold no bytes).
        func handlerWritesNothing(_ type: FuncType, _ body: Block, _ scope: Scope, _ depth: Int,
                                  empty: (Expr) -> Bool = { _ in false }) -> Bool {
            guard let writerField = type.params.first, let member = Self.member(writerField.type, scope.imports),
                  member.path == "net/http", member.name == "ResponseWriter" else { return false }
            guard let writer = writerField.names.first?.name, writer != "_" else { return true }
            return writerUnused(writer, body.statements, scope, depth, empty: empty)
        }

        /// The package function or method `c` calls, with the scope of its body; nil when it is
        /// neither (a call into another package).
        func callee(_ c: Call, _ scope: Scope, _ depth: Int) -> (FuncDecl, Scope)? {
            if let name = c.fun.identName, let f = functions[name], let body = f.body {
                return (f, self.scope(ofFunction: name, body))
            }
            guard case .selector(let base, let method) = c.fun.unparenthesized, Self.member(c.fun, scope.imports) == nil,
                  let type = typeName(of: base, scope, depth), let m = methods[type + "." + method.name],
                  let body = m.decl.body else { return nil }
            return (m.decl, Scope(body: body.statements, imports: m.file.syntax.map(Lint.imports) ?? [:]))
        }

        /// A composite literal of one of the package's handler types, assigned to `variable` of
        /// the enclosing declaration or written in place (see the type's doc).
        func typedHandler(_ literal: Expr, _ scope: Scope, variable: String?, _ depth: Int) -> Bool {
            guard case .compositeLit(let type, let elements, _, _) = literal.unparenthesized,
                  let typeName = type?.unparenthesized.identName, let handler = handlerTypes.serveHTTP[typeName],
                  let body = handler.decl.body else { return false }
            // Fields set by the literal (keyed only: positional elements set every field).
            var set = Set<String>()
            for element in elements {
                guard case .keyValue(let key, _, _) = element, let name = key.identName else { return false }
                set.insert(name)
            }
            let setters = handlerTypes.setters(of: typeName)
            func isEmpty(_ argument: Expr) -> Bool {
                var x = argument.unparenthesized
                if case .call(let c) = x, c.args.count == 1, case .arrayType(nil, let element, _) = c.fun.unparenthesized,
                   element.identName == "byte" { x = c.args[0].unparenthesized }
                guard case .selector(.ident(let base), let field) = x, base.name == handler.receiver,
                      !set.contains(field.name), !handlerTypes.assignedOutsideMethods.contains(field.name),
                      !(setters[field.name] ?? []).contains("ServeHTTP") else { return false }
                // The variable is the server's handler and nothing else: no field write, no setter call.
                if let variable {
                    var uses = 0, bad = false
                    for s in scope.body {
                        Walk.stmt(s, expr: { e in
                            switch e {
                            case .selector(.ident(let v), let selected) where v.name == variable:
                                if selected.name == field.name || (setters[field.name] ?? []).contains(selected.name) { bad = true }
                                return false
                            case .ident(let v) where v.name == variable:
                                uses += 1
                                return false
                            default:
                                return true
                            }
                        })
                    }
                    // One use for each assignment of the literal, one as the server's handler.
                    if bad || uses > Self.assignments(to: variable, in: scope.body).count + 1 { return false }
                }
                return true
            }
            let imports = handler.file.syntax.map(Lint.imports) ?? [:]
            return handlerWritesNothing(handler.decl.type, body, Scope(body: body.statements, imports: imports), depth - 1,
                                        empty: isEmpty)
        }

        /// Whether `writer` is used in `statements` only for headers and the status, directly or
        /// through package functions that do the same (`empty`: `w.Write` arguments that hold no bytes).
        func writerUnused(_ writer: String, _ statements: [Stmt], _ scope: Scope, _ depth: Int,
                          empty: (Expr) -> Bool = { _ in false }) -> Bool {
            var writes = false
            func visit(_ x: Expr) -> Bool {
                if writes { return false }
                switch x {
                case .call(let c) where c.args.count == 1 && empty(c.args[0]):
                    guard case .selector(.ident(let w), let selected) = c.fun.unparenthesized, w.name == writer,
                          selected.name == "Write" else { return true }
                    return false
                case .selector(.ident(let w), let selected) where w.name == writer:
                    if selected.name != "Header" && selected.name != "WriteHeader" { writes = true }
                    return false
                case .ident(let w) where w.name == writer:
                    writes = true
                    return false
                case .call(let c):
                    // `h.ServeHTTP(w, r)` handing the writer to a handler that writes nothing.
                    if c.args.count == 2, c.args[0].identName == writer, case .selector(let h, let m) = c.fun.unparenthesized,
                       m.name == "ServeHTTP", depth > 1, bodiless(h, scope, depth - 1) {
                        Walk.expr(c.args[1], visit)
                        return false
                    }
                    guard let index = c.args.firstIndex(where: { $0.identName == writer }) else { return true }
                    // `http.SetCookie(w, c)` adds a header.
                    if index == 0, let m = Self.member(c.fun, scope.imports), m.path == "net/http", m.name == "SetCookie" {
                        for argument in c.args.dropFirst() { Walk.expr(argument, visit) }
                        return false
                    }
                    // Handed to a package function or to a method of a package type (`cc.SetCookie(w, c)`
                    // on `cc := NewChunker(…)`): its parameter at that position must be unused too.
                    guard let (decl, inner) = callee(c, scope, depth) else { return true }
                    let params = decl.type.params.flatMap { field in field.names.map { $0.name } }
                    guard depth > 1, index < params.count, params.count == c.args.count, let body = decl.body,
                          writerUnused(params[index], body.statements, inner, depth - 1)
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

/// The package's named types with a `ServeHTTP` method, and who can set their fields (for LS004's
/// no-body rule on handler values such as `&FakeHandler{StatusCode: 200}`).
struct HandlerTypes {
    /// `ServeHTTP` by type name: the method, its file and its receiver's name.
    var serveHTTP: [String: (decl: FuncDecl, file: SourceFile, receiver: String)] = [:]
    /// Field names written (`x.F = …`, `x.F++`, `&x.F`) anywhere but through the receiver of a
    /// method of a handler type.
    var assignedOutsideMethods = Set<String>()
    /// Per handler type: field name → the methods that write it through their receiver.
    var written: [String: [String: Set<String>]] = [:]

    init() {}

    init(_ package: GoPackage, methods: [String: (decl: FuncDecl, file: SourceFile)]) {
        for (key, method) in methods where method.decl.name.name == "ServeHTTP" {
            guard let type = key.split(separator: ".").first.map(String.init),
                  let receiver = method.decl.receiver?.names.first?.name, receiver != "_" else { continue }
            serveHTTP[type] = (method.decl, method.file, receiver)
        }
        guard !serveHTTP.isEmpty else { return }
        for file in package.files {
            guard let syntax = file.syntax else { continue }
            for decl in syntax.decls {
                var statements: [Stmt] = []
                var owner: (type: String, receiver: String, method: String)?
                switch decl {
                case .function(let f):
                    statements = f.body?.statements ?? []
                    if let r = f.receiver, let type = PackageFacts.receiverTypeName(r.type), serveHTTP[type] != nil,
                       let name = r.names.first?.name {
                        owner = (type, name, f.name.name)
                    }
                case .gen(let g):
                    statements = [.decl(g)]
                }
                func wrote(_ target: Expr) {
                    guard case .selector(let base, let field) = target.unparenthesized else { return }
                    if let owner, base.unparenthesized.identName == owner.receiver {
                        written[owner.type, default: [:]][field.name, default: []].insert(owner.method)
                    } else {
                        assignedOutsideMethods.insert(field.name)
                    }
                }
                for s in statements {
                    Walk.statements(s, { st in
                        if case .assign(let lhs, _, _, _) = st { lhs.forEach(wrote) }
                        if case .incDec(let x, _) = st { wrote(x) }
                        if case .rangeStmt(let k, let v, _, _, _, _) = st { [k, v].compactMap { $0 }.forEach(wrote) }
                        return true
                    }, { x in
                        if case .unary(.and, let inner, _) = x { wrote(inner) }
                        return true
                    })
                }
            }
        }
    }

    /// Field name → the methods of `type` that write it through their receiver.
    func setters(of type: String) -> [String: Set<String>] { written[type] ?? [:] }
}
