import LeakscopeGoSource

/// LS004's knowledge of clients: which clients have a `Timeout` (it ends the request, body
/// included, so an unclosed body is held only until then: `low`), and which locals are clients at
/// all when no declaration says so.
extension BodyClose {
    /// Whether the call's client has a Timeout, and on which other packages' makers that depends:
    /// nil when it has none as far as is seen; the empty set when it has one outright; otherwise
    /// the makers (`path.Name`) that must each be timed (`timedMaker`), which only the whole run
    /// knows (`LintSession.finish`; ezbookkeeping's `httpclient.NewHttpClient(timeout, …)`).
    ///
    /// Timed outright: a local set only from `http.Client{…, Timeout: d, …}` literals (`&` or
    /// not) or calls of a timed maker (`madeByTimedMaker`), or from client literals given a
    /// Timeout right after (`client := &http.Client{}` then `client.Timeout = d` in the same
    /// statement list, nps' health check); a field, `fieldClientTimesOut`.
    /// `Client.Timeout` covers reading the body, and when it expires the transport cancels the
    /// request and closes the connection.
    static func clientTimesOut(_ call: Call, _ ctx: CheckContext) -> Set<String>? {
        guard let (receiver, _) = Lint.methodCall(call) else { return nil }
        if case .selector(_, let field) = receiver.unparenthesized { return fieldClientTimesOut(field.name, ctx) }
        guard let name = receiver.unparenthesized.identName else { return nil }
        // A parameter holds whatever the caller passed; an assignment seen may be a default only.
        if ctx.unit.type.params.contains(where: { $0.names.contains { $0.name == name } }) { return parameterClientTimesOut(name, ctx) }
        let body = ctx.unit.body.statements
        let values = BodilessServers.Resolver.assignments(to: name, in: body)
        guard !values.isEmpty else { return nil }
        let scope = (ctx.unit.body.statements, ctx.unit.signatureNames)
        if let makers = allTimed(values.map { value in
            isTimedClient(value, imports: ctx.imports) ? [] : madeByTimedMaker(value, ctx, in: scope)
        }) {
            return makers
        }
        if timeoutSetAfterAllDefinitions(of: name, in: body, values: values.count, before: call.fun.pos) { return [] }
        return values.allSatisfy({ isTimedClient($0, imports: ctx.imports, timeoutSetAfter: true) })
            && timeoutSetAfterEveryDefinition(of: name, in: body, values: values.count, before: call.fun.pos) ? [] : nil
    }

    /// The union of the makers each value depends on, nil when one value is not timed.
    static func allTimed(_ answers: [Set<String>?]) -> Set<String>? {
        var makers = Set<String>()
        for answer in answers {
            guard let answer else { return nil }
            makers.formUnion(answer)
        }
        return makers
    }

    /// Whether `s` is `name.Timeout = d` with `d` not a literal 0.
    static func setsTimeout(_ s: Stmt, of name: String) -> Bool {
        guard case .assign(let lhs, .assign, let rhs, _) = s, lhs.count == 1, rhs.count == 1,
              case .selector(let base, let field) = lhs[0].unparenthesized else { return false }
        return field.name == "Timeout" && base.identName == name && Lint.literalText(rhs[0]) != "0"
    }

    /// Whether a statement of the function's own body (not nested, so every path past it runs
    /// it), before the request at `before`, sets `name.Timeout` after every statement that gives
    /// `name` a value, whatever the value (tiflow's `client := &http.Client{}`, `if tls { client =
    /// util.ClientWithTLS(…) }`, then `client.Timeout = time.Second`). `values` as for
    /// `timeoutSetAfterEveryDefinition`.
    static func timeoutSetAfterAllDefinitions(of name: String, in body: [Stmt], values: Int, before: Int32) -> Bool {
        guard let setting = body.last(where: { $0.pos < before && setsTimeout($0, of: name) }) else { return false }
        var definitions: [Int32] = []
        forEachStatement(body) { s, _ in
            if assigns(name, s) { definitions.append(s.pos) }
        }
        return definitions.count == values && definitions.allSatisfy { $0 < setting.pos }
    }

    /// Whether every statement that gives `name` a value (`values` of them, as `Resolver` counts
    /// them: a `var` or one in a closure the walk does not see makes the counts differ) is
    /// followed, in its own statement list and before the request at `before`, by `name.Timeout =
    /// d` with `d` not a literal 0: set on every path from the client's making to its use.
    static func timeoutSetAfterEveryDefinition(of name: String, in body: [Stmt], values: Int, before: Int32) -> Bool {
        var definitions = 0
        var covered = 0
        forEachStatement(body) { s, frames in
            guard assigns(name, s), let frame = frames.last else { return }
            definitions += 1
            let later = frame.list[(frame.index + 1)...]
            if later.contains(where: { $0.pos < before && setsTimeout($0, of: name) }) { covered += 1 }
        }
        return definitions > 0 && definitions == values && covered == definitions
    }

    /// `x.field.Do(…)` where every value the package gives a field of that name — `x.field = v`
    /// or `field: v` in a composite literal, in a function body or a package-level initialiser,
    /// each read with its own file's imports — is an `http.Client` literal with a
    /// `Timeout` (go2rtc's `s.client = &http.Client{Timeout: 15 * time.Second}`) or a call of a
    /// timed maker (`madeByTimedMaker`, another package's too). A field set any other way (from
    /// another call, a variable, several values at once) answers no (nil). Answers as
    /// `clientTimesOut` does.
    static func fieldClientTimesOut(_ field: String, _ ctx: CheckContext) -> Set<String>? {
        if let known = ctx.package.timedClientFields.byKey[field] { return known }
        // Every value given a field of that name, with the imports of the file it is written in:
        // in function bodies and in package-level initialisers (`var svc = &service{client: …}`).
        // `scope`: the function body the value is written in, for a local it names (istio's
        // `c := http.Client{…, Timeout: time.Second}` then `&udsCore{client: c}`).
        // `function`: its parameters' names (they hold what callers pass) and its receiver's.
        typealias Function = (scope: [Stmt], parameters: Set<String>, receiver: String?)
        var values: [(value: Expr, imports: [String: String], function: Function)] = []
        var unknown = false
        for file in ctx.package.files {
            guard let syntax = file.syntax, !unknown else { continue }
            let imports = ctx.package.imports(of: file)
            var statements: [(statement: Stmt, function: Function)] = []
            for decl in syntax.decls {
                switch decl {
                case .function(let f):
                    let body = f.body?.statements ?? []
                    let parameters = Set(f.type.params.flatMap { $0.names.map(\.name) })
                    let function: Function = (body, parameters, f.receiver?.names.first?.name)
                    statements += body.map { ($0, function) }
                case .gen(let g): statements.append((.decl(g), ([], [], nil)))
                }
            }
            for (statement, function) in statements {
                Walk.statements(statement, intoFuncLits: true, { st in
                    if case .assign(let lhs, _, let rhs, _) = st {
                        for (index, target) in lhs.enumerated() {
                            guard case .selector(_, let name) = target.unparenthesized, name.name == field else { continue }
                            if lhs.count == rhs.count { values.append((rhs[index], imports, function)) } else { unknown = true }
                        }
                    }
                    return !unknown
                }, { e in
                    if case .compositeLit(_, let elements, _, _) = e {
                        for case .keyValue(let key, let value, _) in elements where key.identName == field { values.append((value, imports, function)) }
                    }
                    return !unknown
                })
                if unknown { break }
            }
        }
        func scope(_ function: Function) -> (statements: [Stmt], names: Set<String>) {
            (function.scope, function.parameters.union(function.receiver.map { [$0] } ?? []))
        }
        func timed(_ value: Expr, _ imports: [String: String], _ function: Function) -> Set<String>? {
            if isTimedClient(value, imports: imports) { return [] }
            if let makers = madeByTimedMaker(value, ctx, imports: imports, in: scope(function)) { return makers }
            switch value.unparenthesized {
            case .selector(let base, let name):
                // The same field of the method's own receiver (`client: u.client`, a copy of the
                // object): it adds no new client. Another object's field may be anything.
                return name.name == field && base.unparenthesized.identName.map { $0 == function.receiver } == true ? [] : nil
            case .ident(let id):
                // A local given only timed clients (`client: httpClient` after `httpClient :=
                // httputils.DefaultClientConfig().Client()`).
                return localClientTimesOut(id.name, in: scope(function), parameters: function.parameters, imports: imports, ctx)
            default:
                return nil
            }
        }
        // At least one value makes a client here (not only copies of others).
        let makes = values.contains {
            isTimedClient($0.value, imports: $0.imports) || madeByTimedMaker($0.value, ctx, imports: $0.imports, in: scope($0.function)) != nil
                || $0.value.unparenthesized.identName != nil
        }
        let answer = !unknown && makes ? allTimed(values.map { timed($0.value, $0.imports, $0.function) }) : nil
        ctx.package.timedClientFields.byKey[field] = .some(answer)
        return answer
    }

    /// `newClient(…)`: a call of a function of the package, not a method, declared once, that is
    /// a timed maker (`timedMaker`): answers `[]` (sliding-sync's `newClient(timeout, server)`
    /// returning `&http.Client{Timeout: timeout, …}`). `pkg.New(…)` of an imported package
    /// answers `["path.New"]`: timed if that function is a timed maker, which `LintSession`
    /// settles when every package is seen, unless `x` is a parameter or local of the function
    /// the value is written in (`scope`: its statements and signature names), which hides the
    /// import. Anything else answers nil. `imports`: those of the file the value is written in
    /// (the context's file by default).
    static func madeByTimedMaker(_ value: Expr, _ ctx: CheckContext, imports: [String: String]? = nil,
                                 in scope: (statements: [Stmt], names: Set<String>)) -> Set<String>? {
        // `New(0)`: a maker's Timeout is often its parameter, and 0 is no timeout at all.
        guard let call = Lint.call(value), !call.args.contains(where: { Lint.literalText($0) == "0" }) else { return nil }
        if let chain = makerChain(call, imports: imports ?? ctx.imports, in: scope) { return chain }
        if case .selector(.ident(let x), let name) = call.fun.unparenthesized, name.name.first?.isUppercase == true,
           let path = (imports ?? ctx.imports)[x.name], path != "net/http" {
            if scope.names.contains(x.name) || Lint.declares(x.name, in: scope.statements) { return nil }
            return [path + "." + name.name]
        }
        guard case .ident(let name) = call.fun.unparenthesized else { return nil }
        if let known = ctx.package.timedClientMakers.byKey[name.name] { return known ? [] : nil }
        let answer = packageFunction(name.name, ctx).map { timedMaker($0.0, imports: $0.1, package: ctx.package) } ?? false
        ctx.package.timedClientMakers.byKey[name.name] = answer
        return answer ? [] : nil
    }

    /// Whether every `return` of `maker` gives one value, a client literal with a Timeout
    /// (`isTimedClient`) or a local given only such literals. One that returns anything else on
    /// some path (a shared default client) is not. With the maker's `package`, also a call of
    /// another of its functions that is a timed maker, given no literal 0, or that returns the
    /// parameter it is handed such a literal in (skia-buildbot's `NewTimeoutClient` calls
    /// `NewConfiguredTimeoutClient(dial, request)`, which returns
    /// `AddMetricsToClient(&http.Client{…, Timeout: request})`, which returns its parameter).
    /// `depth`: how many such calls were followed to get here.
    static func timedMaker(_ maker: FuncDecl, imports: [String: String], package: PackageFacts? = nil, depth: Int = 0) -> Bool {
        guard let body = maker.body?.statements else { return false }
        let parameters = Set(maker.type.params.flatMap { $0.names.map(\.name) })
        var results: [[Expr]] = []
        for statement in body {
            Walk.statements(statement, intoFuncLits: false, { st in
                if case .returnStmt(let values, _) = st { results.append(values) }
                return true
            }, { _ in true })
        }
        func timedCall(_ value: Expr) -> Bool {
            // A callee the maker declares itself (a local literal) is not the package's function.
            guard let package, depth < LintThresholds.makerCallDepth, let call = Lint.call(value),
                  case .ident(let name) = call.fun.unparenthesized, !parameters.contains(name.name),
                  !Lint.declares(name.name, in: body), let callee = package.functions[name.name],
                  let file = package.functionFiles[name.name] else { return false }
            if let index = returnedParameter(callee), index < call.args.count, isTimedClient(call.args[index], imports: imports) {
                return true
            }
            // A maker's Timeout is often its parameter: every `time.Duration` it is given must be
            // a positive constant (`newClient(defaultTimeout)` with a zero `defaultTimeout` makes a
            // client without one).
            let calleeImports = package.imports(of: file)
            let types = callee.type.params.flatMap { field in Array(repeating: field.type, count: max(1, field.names.count)) }
            guard types.count == call.args.count, !zip(types, call.args).contains(where: { type, argument in
                guard case .selector(.ident(let x), let name) = type.unparenthesized, calleeImports[x.name] == "time",
                      name.name == "Duration" else { return false }
                return !positiveDuration(argument, imports: imports, package,
                                         shadowed: { parameters.contains($0) || Lint.declares($0, in: body) })
            }) else { return false }
            if let known = package.timedClientMakers.byKey[name.name] { return known }
            // Not timed while it is worked out: a cycle of makers ends there.
            package.timedClientMakers.byKey[name.name] = false
            let answer = timedMaker(callee, imports: calleeImports, package: package, depth: depth + 1)
            package.timedClientMakers.byKey[name.name] = answer
            return answer
        }
        return !results.isEmpty && results.allSatisfy { values in
            guard values.count == 1 else { return false }
            if isTimedClient(values[0], imports: imports) || timedCall(values[0]) { return true }
            guard let local = values[0].unparenthesized.identName else { return false }
            return givenOnlyTimedClients(local, in: body, parameters: parameters, imports: imports)
        }
    }

    /// The index of the parameter every `return` of `function` gives back as its one result,
    /// when the body only reads it and sets fields of it other than `Timeout` (`AddMetricsToClient(c)`
    /// sets `c.Transport` and returns `c`; `handsBackUnchanged`). Nil otherwise.
    static func returnedParameter(_ function: FuncDecl) -> Int? {
        guard let body = function.body?.statements else { return nil }
        for (index, name) in parameterNames(function).enumerated() where !name.isEmpty && name != "_" {
            if handsBackUnchanged(name, body: body, keeping: ["Timeout"], methodCalls: true) { return index }
        }
        return nil
    }

    /// Whether `body` returns `name` (a parameter or receiver) from every `return`, and otherwise
    /// only reads its fields or sets fields not in `keeping`: `name` appears nowhere else on its
    /// own (not handed to a call, aliased, dereferenced, `&name`, redeclared or assigned), no
    /// field in `keeping` is assigned, set below or has its address taken, and, unless
    /// `methodCalls`, no method is called on it (a pointer method may set anything). Code
    /// review of session 36: builders that zero the field through a copy, `*c = …`, a helper or
    /// an option function, and wrappers that swap the client, all keep their findings.
    static func handsBackUnchanged(_ name: String, body: [Stmt], keeping: Set<String>, methodCalls: Bool) -> Bool {
        guard !Lint.declares(name, in: body) else { return false }
        var allowed = Set<Int32>()
        var mentions: [Int32] = []
        var returns = 0
        var broken = false
        /// `name.f` or `name.f.g…`: the field `f` first selected, for any depth.
        func rootField(_ e: Expr) -> String? {
            guard case .selector(let base, let field) = e.unparenthesized else { return nil }
            if base.unparenthesized.identName == name { return field.name }
            return rootField(base)
        }
        for s in body {
            Walk.statements(s, intoFuncLits: true, { st in
                switch st {
                case .returnStmt(let values, _):
                    returns += 1
                    if values.count == 1, case .ident(let id) = values[0].unparenthesized, id.name == name {
                        allowed.insert(values[0].unparenthesized.pos)
                    } else {
                        broken = true
                    }
                case .assign(let lhs, _, _, _):
                    for target in lhs {
                        if let field = rootField(target), keeping.contains(field) { broken = true }
                    }
                case .incDec(let target, _):
                    if let field = rootField(target), keeping.contains(field) { broken = true }
                default: break
                }
                return !broken
            }, { e in
                switch e {
                case .selector(let base, _):
                    if case .ident(let id) = base.unparenthesized, id.name == name { allowed.insert(base.unparenthesized.pos) }
                case .ident(let id) where id.name == name:
                    mentions.append(e.pos)
                case .unary(.and, let inner, _):
                    if inner.unparenthesized.identName == name || rootField(inner).map(keeping.contains) == true { broken = true }
                case .call(let c):
                    if !methodCalls, case .selector(let base, _) = c.fun.unparenthesized, base.unparenthesized.identName == name {
                        broken = true
                    }
                    if let field = rootField(c.fun), keeping.contains(field) { broken = true }
                default: break
                }
                return !broken
            })
        }
        return !broken && returns > 0 && mentions.allSatisfy(allowed.contains)
    }

    /// The package's exported functions that are timed makers (`timedMaker`), as `path.Name`:
    /// what other packages' `pkg.Name(…)` clients depend on. Only functions declared to return
    /// one `*http.Client` or `http.Client` are read.
    static func exportedTimedMakers(_ package: PackageFacts) -> Set<String> {
        var makers = Set<String>()
        for (name, function) in package.functions where name.first?.isUppercase == true {
            guard function.type.results.count == 1, function.type.results[0].names.count <= 1,
                  let file = package.functionFiles[name] else { continue }
            let imports = package.imports(of: file)
            guard isClientType(function.type.results[0].type, imports: imports),
                  timedMaker(function, imports: imports, package: package) else { continue }
            makers.insert(package.path + "." + name)
        }
        return makers.union(exportedChainMakers(package))
    }

    /// Whether local `name` of a function with body `scope` is given values, and only `http.Client`
    /// literals with a Timeout. A parameter holds what callers pass (an assignment seen may be a
    /// default only): never.
    static func givenOnlyTimedClients(_ name: String, in scope: [Stmt], parameters: Set<String>, imports: [String: String]) -> Bool {
        guard !parameters.contains(name) else { return false }
        let assigned = BodilessServers.Resolver.assignments(to: name, in: scope)
        return !assigned.isEmpty && assigned.allSatisfy { isTimedClient($0, imports: imports) }
    }

    /// The package's function (not a method) named `name` (`PackageFacts.functions`), with the
    /// imports of the file it is declared in.
    static func packageFunction(_ name: String, _ ctx: CheckContext) -> (FuncDecl, [String: String])? {
        guard let function = ctx.package.functions[name], let file = ctx.package.functionFiles[name] else { return nil }
        return (function, ctx.package.imports(of: file))
    }

    /// A local no declaration types (`client := newClient(cfg)`), every value of which is
    /// `http.DefaultClient` or a call of a function of the package whose first result is declared
    /// `*http.Client` or `http.Client` (`c, err := buildClient(cfg)` too): an `http.Client` all the
    /// same. A value of any other kind, or a maker in another package, answers no.
    static func isClientByValues(_ receiver: Expr, _ ctx: CheckContext, _ types: LocalTypes) -> Bool {
        guard let name = receiver.unparenthesized.identName, types.types[name] == nil, types.declared.contains(name) else { return false }
        let values = BodilessServers.Resolver.assignments(to: name, in: ctx.unit.body.statements)
        return !values.isEmpty && values.allSatisfy { value in
            if let member = ctx.packageMember(value), member.path == "net/http", member.name == "DefaultClient" { return true }
            guard let call = Lint.call(value), case .ident(let maker) = call.fun.unparenthesized,
                  let (function, imports) = packageFunction(maker.name, ctx),
                  let result = function.type.results.first?.type else { return false }
            return isClientType(result, imports: imports)
        }
    }

    /// `*http.Client` or `http.Client`, written in a file with these imports.
    static func isClientType(_ type: Expr, imports: [String: String]) -> Bool {
        var t = type.unparenthesized
        if case .star(let inner, _) = t { t = inner.unparenthesized }
        guard case .selector(.ident(let x), let name) = t else { return false }
        return name.name == "Client" && imports[x.name] == "net/http"
    }

    /// An `http.Client{…, Timeout: d, …}` literal, `&` or not, in a file with these imports
    /// (`timeoutSetAfter`: any `http.Client` literal, its Timeout set by a later statement).
    static func isTimedClient(_ value: Expr, imports: [String: String], timeoutSetAfter: Bool = false) -> Bool {
        var literal = value.unparenthesized
        if case .unary(.and, let inner, _) = literal { literal = inner.unparenthesized }
        guard case .compositeLit(let type?, let elements, _, _) = literal,
              case .selector(.ident(let x), let name) = type.unparenthesized, name.name == "Client",
              imports[x.name] == "net/http" else { return false }
        if timeoutSetAfter { return true }
        return elements.contains { element in
            if case .keyValue(let key, _, _) = element { return key.identName == "Timeout" }
            return false
        }
    }
}
