import LeakscopeGoSource

/// LS004's timed clients made by a configuration value: skia-buildbot's
/// `httputils.DefaultClientConfig().WithTokenSource(ts).Client()`, whose `Client` method returns
/// `&http.Client{…, Timeout: c.RequestTimeout}` and whose `DefaultClientConfig` sets
/// `RequestTimeout` (session 36's clean pass, six findings judged false for that Timeout).
///
/// The package that declares them says which chains make timed clients, as names
/// `LintSession` collects with the other timed makers (`exportedTimedMakers`):
/// `path.F().M` for a method `M` of the type `F` returns whose every return is a client literal
/// with `Timeout: recv.Field` (`timeoutFieldsOfReturnedLiterals`), each such field set to a
/// positive constant by every literal `F` returns (`fieldsSetByEveryReturn`); and `path.F()~B`
/// for a builder, a method `B` of that type that returns its receiver and only reads it or sets
/// other fields (`handsBackUnchanged`: a copy, `*c = …`, a helper or an option function breaks
/// the chain). The package that calls the chain asks for every name of it (`makerChain`).
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
            guard function.type.results.count == 1, function.type.results[0].names.isEmpty,
                  let typeName = PackageFacts.receiverTypeName(function.type.results[0].type),
                  let methods = methodsByType[typeName], let file = package.functionFiles[name],
                  let set = fieldsSetByEveryReturn(function, typeName, imports: package.imports(of: file), package) else { continue }
            let origin = "\(package.path).\(name)()"
            // The receiver fields every timed maker's Timeout reads: a builder must leave them alone.
            var timeoutFields = Set<String>()
            var makers: [String] = []
            for method in methods where method.decl.type.results.count == 1 {
                let imports = package.imports(of: method.file)
                guard isClientType(method.decl.type.results[0].type, imports: imports),
                      let fields = timeoutFieldsOfReturnedLiterals(method.decl, imports: imports, package), fields.isSubset(of: set) else { continue }
                timeoutFields.formUnion(fields)
                makers.append(method.name)
            }
            guard !makers.isEmpty else { continue }
            for maker in makers { out.insert("\(origin).\(maker)") }
            for method in methods where method.decl.type.results.count == 1 {
                guard PackageFacts.receiverTypeName(method.decl.type.results[0].type) == typeName,
                      let receiver = method.decl.receiver?.names.first?.name, let body = method.decl.body?.statements,
                      handsBackUnchanged(receiver, body: body, keeping: timeoutFields, methodCalls: false) else { continue }
                out.insert("\(origin)~\(method.name)")
            }
        }
        return out
    }

    /// The fields every `return` of `function` sets to a positive constant duration
    /// (`positiveDuration`), when each returns one composite literal of `typeName` (`&` or not)
    /// and the function has no named result a `defer` could change. Nil otherwise.
    static func fieldsSetByEveryReturn(_ function: FuncDecl, _ typeName: String, imports: [String: String],
                                       _ package: PackageFacts) -> Set<String>? {
        guard let body = function.body?.statements, !TickerCheck.defers(body) else { return nil }
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
                for case .keyValue(let key, let value, _) in elements {
                    if let name = key.identName, positiveDuration(value, imports: imports, package, shadowed: { declares(function, $0) }) {
                        fields.insert(name)
                    }
                }
                sets.append(fields)
                return true
            }, { _ in true })
        }
        guard !other, let first = sets.first else { return nil }
        return sets.dropFirst().reduce(first) { $0.intersection($1) }
    }

    /// Whether `e` is a duration known positive without running anything
    /// (`ConstantDurations.nanoseconds`): an integer literal, `time.Second` and its kin, products
    /// of those, `time.Duration(…)` of one, or a package constant (or unexported variable nothing
    /// reassigns) that is one, not hidden by a name of the function it is written in (`shadowed`).
    static func positiveDuration(_ e: Expr, imports: [String: String], _ package: PackageFacts,
                                 shadowed: (String) -> Bool) -> Bool {
        (ConstantDurations.nanoseconds(e, imports: imports, constants: package.constants, shadowed: shadowed) ?? 0) > 0
    }

    /// Whether function `f` declares `name`: a parameter, result, receiver or local.
    static func declares(_ f: FuncDecl, _ name: String) -> Bool {
        let signature = (f.receiver.map { [$0] } ?? []) + f.type.params + f.type.results
        return signature.contains { $0.names.contains { $0.name == name } } || Lint.declares(name, in: f.body?.statements ?? [])
    }

    /// The receiver fields the `Timeout` of a maker method's client literals names, when every
    /// `return` gives one `http.Client` literal (`&` or not) whose `Timeout` is written
    /// `recv.Field` (or is a positive constant) and the method declares no name like its receiver's. Nil otherwise: a
    /// `Timeout` read through a local or a nested field, or a client set again before its
    /// return (`cl.Timeout = 0` when streaming), is not followed.
    static func timeoutFieldsOfReturnedLiterals(_ method: FuncDecl, imports: [String: String], _ package: PackageFacts) -> Set<String>? {
        guard let receiver = method.receiver?.names.first?.name, let body = method.body?.statements,
              !Lint.declares(receiver, in: body) else { return nil }
        var fields = Set<String>()
        var returns = 0
        var other = false
        for s in body {
            Walk.statements(s, intoFuncLits: false, { st in
                guard case .returnStmt(let values, _) = st else { return !other }
                returns += 1
                var literal = values.first?.unparenthesized
                if case .unary(.and, let inner, _)? = literal { literal = inner.unparenthesized }
                guard values.count == 1, let literal, isTimedClient(literal, imports: imports),
                      case .compositeLit(_, let elements, _, _) = literal else {
                    other = true
                    return false
                }
                for case .keyValue(let key, let value, _) in elements where key.identName == "Timeout" {
                    if positiveDuration(value, imports: imports, package, shadowed: { declares(method, $0) }) { continue }
                    guard case .selector(let base, let field) = value.unparenthesized, base.unparenthesized.identName == receiver else {
                        other = true
                        return false
                    }
                    fields.insert(field.name)
                }
                return true
            }, { _ in true })
        }
        return !other && returns > 0 ? fields : nil
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
        guard !parameters.contains(name), !scope.names.contains(name), definedOnceWithValue(name, in: scope.statements),
              keepsTimeout(name, in: scope.statements) else { return nil }
        let values = BodilessServers.Resolver.assignments(to: name, in: scope.statements)
        guard !values.isEmpty else { return nil }
        return allTimed(values.map { value in
            isTimedClient(value, imports: imports) ? [] : madeByTimedMaker(value, ctx, imports: imports, in: scope)
        })
    }

    /// Whether `name` is declared once in `statements` (function literals included), by `:=` or
    /// by a `var` with a value: not by a `range`, a literal's parameter or a `var` left zero (a
    /// zero `http.Client` has no Timeout), and not twice in different blocks.
    static func definedOnceWithValue(_ name: String, in statements: [Stmt]) -> Bool {
        var definitions = 0
        var other = false
        for s in statements {
            Walk.statements(s, intoFuncLits: true, { st in
                switch st {
                case .assign(let lhs, .define, _, _): if lhs.contains(where: { $0.identName == name }) { definitions += 1 }
                case .rangeStmt(let key, let value, .define, _, _, _): if key?.identName == name || value?.identName == name { other = true }
                case .decl(let g):
                    for case .value(let names, _, let values) in g.specs where names.contains(where: { $0.name == name }) {
                        if values.isEmpty { other = true } else { definitions += 1 }
                    }
                default: break
                }
                return !other
            }, { x in
                if case .funcLit(let type, _) = x,
                   (type.params + type.results).contains(where: { $0.names.contains { $0.name == name } }) { other = true }
                return !other
            })
        }
        return !other && definitions == 1
    }

    /// Whether nothing in `statements` sets `name.Timeout` (or below it), assigns `*name`, or
    /// takes `&name` or `&name.Timeout`: the client keeps the Timeout it was made with.
    static func keepsTimeout(_ name: String, in statements: [Stmt]) -> Bool {
        func touchesTimeout(_ e: Expr) -> Bool {
            switch e.unparenthesized {
            case .selector(let base, let field):
                if base.unparenthesized.identName == name { return field.name == "Timeout" }
                return touchesTimeout(base)
            case .star(let inner, _): return inner.unparenthesized.identName == name
            default: return false
            }
        }
        var kept = true
        for s in statements {
            Walk.statements(s, intoFuncLits: true, { st in
                switch st {
                case .assign(let lhs, _, _, _): if lhs.contains(where: touchesTimeout) { kept = false }
                case .incDec(let target, _): if touchesTimeout(target) { kept = false }
                default: break
                }
                return kept
            }, { x in
                if case .unary(.and, let inner, _) = x, inner.unparenthesized.identName == name || touchesTimeout(inner) { kept = false }
                return kept
            })
        }
        return kept
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
        let key = "(\(function) \(index)"
        if let known = ctx.package.timedClientFields.byKey[key] { return known }
        // Taken as not timed while it is worked out (a cycle of calls ends there), and for good
        // when a check below fails.
        ctx.package.timedClientFields.byKey[key] = .some(nil)
        guard function.first?.isLowercase == true, let declared = ctx.package.functions[function],
              !declared.type.params.contains(where: { field in
                  if case .ellipsis = field.type { return true }
                  return false
              }) else { return nil }
        let names = parameterNames(declared)
        // The callee must use the parameter as it came: not assign it, redeclare it or touch its Timeout.
        guard let body = declared.body?.statements, !Lint.declares(names[index], in: body),
              !assigns(names[index], in: body), keepsTimeout(names[index], in: body),
              !namedInFilesNotLoaded(function, ctx) else { return nil }
        let count = names.count
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
                        // The caller's own parameter, as it came: not redeclared (a literal's
                        // parameter, a block's `:=`) nor assigned on the way.
                        guard let caller, depth < LintThresholds.makerCallDepth, !Lint.declares(local, in: statements),
                              !assigns(local, in: statements), keepsTimeout(local, in: statements) else { return nil }
                        return parameterTimed(caller, position, ctx, depth: depth + 1)
                    }
                    // A local the caller declares once with a value; a package-level variable may hold anything.
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

    /// Whether `name` itself is assigned anywhere in `statements` (`name = …`, `name, err = …`).
    static func assigns(_ name: String, in statements: [Stmt]) -> Bool {
        var found = false
        for s in statements {
            Walk.statements(s, intoFuncLits: true, { st in
                if case .assign(let lhs, let op, _, _) = st, op != .define, lhs.contains(where: { $0.identName == name }) { found = true }
                return !found
            }, { _ in !found })
        }
        return found
    }

    /// Whether a `.go` file of the package's directory that this run did not load (another
    /// platform's, a test when tests are not linted, one a build tag leaves out) writes the
    /// function's name: it may call the function with any client.
    static func namedInFilesNotLoaded(_ function: String, _ ctx: CheckContext) -> Bool {
        guard let first = ctx.package.files.first else { return false }
        let directory = first.path.lastIndex(of: "/").map { String(first.path[..<$0]) } ?? "."
        // A file of the current directory has no slash: its whole path is its name.
        let loaded = Set(ctx.package.files.map { $0.path.split(separator: "/").last.map(String.init) ?? $0.path })
        return IdentifierMentions.named(function, inGoFilesOf: directory, excluding: loaded)
    }
}
