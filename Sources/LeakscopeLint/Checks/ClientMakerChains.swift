import LeakscopeGoSource

/// LS004's timed clients made by a configuration value: skia-buildbot's
/// `httputils.DefaultClientConfig().WithTokenSource(ts).Client()`, whose `Client` method returns
/// `&http.Client{…, Timeout: c.RequestTimeout}` and whose `DefaultClientConfig` sets
/// `RequestTimeout` (session 36's clean pass, six findings judged false for that Timeout).
///
/// The package that declares them says which chains make timed clients, as names
/// `LintSession` collects with the other timed makers (`exportedTimedMakers`):
/// `path.F().M` for a method `M` of the type `F` returns that is a timed maker
/// (`timedMaker`), where every field its `Timeout` reads from the receiver is set by every
/// literal `F` returns, to something other than a literal 0; and `path.F()~B` for a builder,
/// a method `B` of that type returning the type itself that assigns none of those fields (a
/// `WithoutTimeout` builder breaks the chain). The package that calls the chain asks for every
/// name of it (`makerChain`).
extension BodyClose {
    /// `pkg.F(…).B1(…)…M(…)`, `pkg` an imported package (not `net/http`, not hidden by a local or a
    /// parameter of `scope`): the names that must all be timed makers for the client to be timed
    /// (`path.F().M`, and `path.F()~B` for each builder between). Nil for any other value, or when
    /// a call of the chain is given a literal 0.
    static func makerChain(_ call: Call, imports: [String: String], in scope: (statements: [Stmt], names: Set<String>)) -> Set<String>? {
        var methods: [String] = []
        var current = call
        while case .selector(let base, let name) = current.fun.unparenthesized, case .call(let inner) = base.unparenthesized {
            guard !current.args.contains(where: { Lint.literalText($0) == "0" }) else { return nil }
            methods.insert(name.name, at: 0)
            current = inner
        }
        guard let maker = methods.last, !current.args.contains(where: { Lint.literalText($0) == "0" }),
              case .selector(.ident(let x), let function) = current.fun.unparenthesized, function.name.first?.isUppercase == true,
              let path = imports[x.name], path != "net/http",
              !scope.names.contains(x.name), !Lint.declares(x.name, in: scope.statements) else { return nil }
        let origin = "\(path).\(function.name)()"
        return Set(methods.dropLast().map { "\(origin)~\($0)" } + ["\(origin).\(maker)"])
    }

    /// The chain names (`makerChain`) the package's exported functions and their types' exported
    /// methods make true.
    static func exportedChainMakers(_ package: PackageFacts) -> Set<String> {
        var methodsByType: [String: [(name: String, decl: FuncDecl, file: SourceFile)]] = [:]
        for (key, method) in package.methods {
            guard let dot = key.firstIndex(of: ".") else { continue }
            let name = String(key[key.index(after: dot)...])
            guard name.first?.isUppercase == true else { continue }
            methodsByType[String(key[..<dot]), default: []].append((name, method.decl, method.file))
        }
        guard !methodsByType.isEmpty else { return [] }
        var out = Set<String>()
        for (name, function) in package.functions where name.first?.isUppercase == true {
            guard function.type.results.count == 1, function.type.results[0].names.count <= 1,
                  let typeName = PackageFacts.receiverTypeName(function.type.results[0].type),
                  let methods = methodsByType[typeName], let set = fieldsSetByEveryReturn(function, typeName) else { continue }
            let origin = "\(package.path).\(name)()"
            // The receiver fields every timed maker's Timeout reads: a builder must leave them alone.
            var timeoutFields = Set<String>()
            var makers: [String] = []
            for method in methods where method.decl.type.results.count == 1 {
                let imports = package.imports(of: method.file)
                guard isClientType(method.decl.type.results[0].type, imports: imports),
                      timedMaker(method.decl, imports: imports, package: package) else { continue }
                let fields = receiverFieldsInTimeouts(method.decl)
                guard fields.isSubset(of: set) else { continue }
                timeoutFields.formUnion(fields)
                makers.append(method.name)
            }
            guard !makers.isEmpty else { continue }
            for maker in makers { out.insert("\(origin).\(maker)") }
            for method in methods where method.decl.type.results.count == 1 {
                guard PackageFacts.receiverTypeName(method.decl.type.results[0].type) == typeName,
                      !assignsReceiverField(method.decl, timeoutFields) else { continue }
                out.insert("\(origin)~\(method.name)")
            }
        }
        return out
    }

    /// The fields every `return` of `function` sets, to something other than a literal 0, when
    /// each returns one composite literal of `typeName` (`&` or not). Nil otherwise.
    static func fieldsSetByEveryReturn(_ function: FuncDecl, _ typeName: String) -> Set<String>? {
        guard let body = function.body?.statements else { return nil }
        var sets: [Set<String>] = []
        var other = false
        for s in body {
            Walk.statements(s, intoFuncLits: false, { st in
                guard case .returnStmt(let values, _) = st else { return !other }
                var literal = values.first?.unparenthesized
                if case .unary(.and, let inner, _)? = literal { literal = inner.unparenthesized }
                guard values.count == 1, case .compositeLit(let type?, let elements, _, _)? = literal,
                      type.unparenthesized.identName == typeName else {
                    other = true
                    return false
                }
                var fields = Set<String>()
                for case .keyValue(let key, let value, _) in elements where Lint.literalText(value) != "0" {
                    if let name = key.identName { fields.insert(name) }
                }
                sets.append(fields)
                return true
            }, { _ in true })
        }
        guard !other, let first = sets.first else { return nil }
        return sets.dropFirst().reduce(first) { $0.intersection($1) }
    }

    /// The fields of the method's receiver its `http.Client` literals' `Timeout` values read
    /// (`Timeout: c.RequestTimeout`).
    static func receiverFieldsInTimeouts(_ method: FuncDecl) -> Set<String> {
        guard let receiver = method.receiver?.names.first?.name, let body = method.body?.statements else { return [] }
        var fields = Set<String>()
        for s in body {
            Walk.statements(s, intoFuncLits: false, { _ in true }, { e in
                guard case .compositeLit(_, let elements, _, _) = e else { return true }
                for case .keyValue(let key, let value, _) in elements where key.identName == "Timeout" {
                    _ = Walk.contains(value) { x in
                        if case .selector(let base, let field) = x, base.unparenthesized.identName == receiver { fields.insert(field.name) }
                        return false
                    }
                }
                return true
            })
        }
        return fields
    }

    /// Whether the method assigns one of `fields` of its receiver (`c.RequestTimeout = d`).
    static func assignsReceiverField(_ method: FuncDecl, _ fields: Set<String>) -> Bool {
        guard let receiver = method.receiver?.names.first?.name else { return false }
        var assigns = false
        for s in method.body?.statements ?? [] {
            Walk.statements(s, intoFuncLits: true, { st in
                if case .assign(let lhs, _, _, _) = st, lhs.contains(where: { target in
                    guard case .selector(let base, let field) = target.unparenthesized else { return false }
                    return base.unparenthesized.identName == receiver && fields.contains(field.name)
                }) { assigns = true }
                return !assigns
            }, { _ in true })
        }
        return assigns
    }
}

/// Clients that reach the request through a local or a parameter of the function making it.
extension BodyClose {
    /// Local `name` of a function (`scope`: its body and signature names; `parameters`: its
    /// parameters, which hold what callers pass): timed when it is given values, and only client
    /// literals with a Timeout or calls of timed makers (`madeByTimedMaker`), as `clientTimesOut`
    /// answers.
    static func localClientTimesOut(_ name: String, in scope: (statements: [Stmt], names: Set<String>), parameters: Set<String>,
                                    imports: [String: String], _ ctx: CheckContext) -> Set<String>? {
        guard !parameters.contains(name) else { return nil }
        let values = BodilessServers.Resolver.assignments(to: name, in: scope.statements)
        guard !values.isEmpty else { return nil }
        return allTimed(values.map { value in
            isTimedClient(value, imports: imports) ? [] : madeByTimedMaker(value, ctx, imports: imports, in: scope)
        })
    }

    /// Parameter `name` of the context's function, a plain function of unexported name that the
    /// package only calls (never uses as a value): timed when every call passes there a client
    /// literal with a Timeout, a timed maker's result, a local given only those, or a parameter
    /// of the caller that is timed the same way (skia-buildbot's power-cycle server makes a
    /// configured client in `main` and hands it down through `watchForPowerCycle` to
    /// `singleStep`). A call passing anything else answers nil.
    static func parameterClientTimesOut(_ name: String, _ ctx: CheckContext) -> Set<String>? {
        guard !ctx.unit.isLiteral, ctx.unit.receiver == nil, let dot = ctx.unit.name.lastIndex(of: ".") else { return nil }
        let function = String(ctx.unit.name[ctx.unit.name.index(after: dot)...])
        guard let declared = ctx.package.functions[function], declared.body?.lbrace == ctx.unit.body.lbrace,
              let index = parameterNames(declared).firstIndex(of: name) else { return nil }
        return parameterTimed(function, index, ctx, depth: 0)
    }

    /// The names of `f`'s parameters in order (`""` for unnamed ones).
    static func parameterNames(_ f: FuncDecl) -> [String] {
        f.type.params.flatMap { field in field.names.isEmpty ? [""] : field.names.map(\.name) }
    }

    /// Whether every call of the package's plain function `function` of unexported name, not
    /// variadic and never used as a value, passes a timed client as argument `index`
    /// (`parameterClientTimesOut`), answered as `clientTimesOut` does.
    static func parameterTimed(_ function: String, _ index: Int, _ ctx: CheckContext, depth: Int) -> Set<String>? {
        guard function.first?.isLowercase == true, let declared = ctx.package.functions[function],
              !declared.type.params.contains(where: { field in
                  if case .ellipsis = field.type { return true }
                  return false
              }) else { return nil }
        let count = parameterNames(declared).count
        let key = "(\(function) \(index)"
        if let known = ctx.package.timedClientFields.byKey[key] { return known }
        // Taken as not timed while it is worked out: a cycle of calls ends there.
        ctx.package.timedClientFields.byKey[key] = .some(nil)
        var answers: [Set<String>?] = []
        var callPositions = Set<Int32>()
        var mentions = Set<Int32>()
        for file in ctx.package.files {
            guard let syntax = file.syntax else { continue }
            let imports = ctx.package.imports(of: file)
            for decl in syntax.decls {
                var statements: [Stmt] = []
                var signature = Set<String>()
                var parameters: [String] = []
                var caller: String?
                switch decl {
                case .function(let f):
                    statements = f.body?.statements ?? []
                    parameters = parameterNames(f)
                    signature = Set(parameters).union((f.receiver.map { [$0] } ?? []).flatMap { $0.names.map(\.name) })
                        .union(f.type.results.flatMap { $0.names.map(\.name) })
                    caller = f.receiver == nil ? f.name.name : nil
                case .gen(let g): statements = [.decl(g)]
                }
                let scope = (statements, signature)
                func timed(_ argument: Expr) -> Set<String>? {
                    if isTimedClient(argument, imports: imports) { return [] }
                    guard let local = argument.unparenthesized.identName else {
                        return madeByTimedMaker(argument, ctx, imports: imports, in: scope)
                    }
                    if let position = parameters.firstIndex(of: local) {
                        guard let caller, depth < LintThresholds.makerCallDepth else { return nil }
                        return parameterTimed(caller, position, ctx, depth: depth + 1)
                    }
                    return localClientTimesOut(local, in: scope, parameters: Set(parameters), imports: imports, ctx)
                }
                for s in statements {
                    Walk.statements(s, intoFuncLits: true, { _ in true }, { e in
                        if case .ident(let id) = e, id.name == function { mentions.insert(e.pos) }
                        guard case .call(let c) = e, c.fun.unparenthesized.identName == function else { return true }
                        callPositions.insert(c.fun.unparenthesized.pos)
                        answers.append(c.args.count == count ? timed(c.args[index]) : nil)
                        return true
                    })
                }
            }
        }
        // Used as a value somewhere (`defer`/`go` calls are calls): any caller may hand it anything.
        let answer = !answers.isEmpty && mentions.isSubset(of: callPositions) ? allTimed(answers) : nil
        ctx.package.timedClientFields.byKey[key] = .some(answer)
        return answer
    }
}
