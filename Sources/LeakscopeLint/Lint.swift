import LeakscopeGoSource
import LeakscopeGoSymbols

/// Shared helpers for checks: naming, syntax shapes, mentions.
enum Lint {
    /// The name an import path binds by default (`math/rand/v2` → `rand`, `gopkg.in/yaml.v3` → `yaml`).
    /// Called for every import of every file linted: it slices the UTF-8 bytes instead of
    /// splitting the path.
    static func defaultName(_ path: String) -> String {
        let bytes = path.utf8
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[bytes.index(before: end)] == UInt8(ascii: "/") { end = bytes.index(before: end) }
        func elementStart(before end: String.Index) -> String.Index {
            var start = end
            while start > bytes.startIndex, bytes[bytes.index(before: start)] != UInt8(ascii: "/") { start = bytes.index(before: start) }
            return start
        }
        var start = elementStart(before: end)
        // A major-version suffix (`/v2`) names the element before it.
        if start > bytes.startIndex, end > start, bytes[start] == UInt8(ascii: "v"), bytes.index(after: start) < end,
           bytes[bytes.index(after: start)..<end].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            var previous = bytes.index(before: start)
            while previous > bytes.startIndex, bytes[bytes.index(before: previous)] == UInt8(ascii: "/") { previous = bytes.index(before: previous) }
            if previous > bytes.startIndex {
                end = previous
                start = elementStart(before: end)
            }
        }
        if let dot = bytes[start..<end].firstIndex(of: UInt8(ascii: ".")) { end = dot }
        var name = Substring(path.utf8[start..<end])
        if name.hasPrefix("go-") { name = name.dropFirst(3) }
        return String(name)
    }

    /// Every function body in the file, named as the runtime names them.
    static func units(_ syntax: FileSyntax, packagePath importPath: String) -> [FunctionUnit] {
        // Runtime names escape dots in the last path element (`gopkg.in/yaml%2ev3.F`).
        let packagePath = GoSymbol.runtimePackagePath(importPath)
        var units: [FunctionUnit] = []
        func literals(in body: [Stmt], outer: String, topLevel: Bool, receiver: Field?) {
            var count = 0
            let endless = blocksForever(body)
            var goroutines = Set<Int32>()
            for s in body {
                Walk.statements(s, intoFuncLits: false, { st in
                    if endless, case .go(let call, _) = st, case .funcLit(_, let inner) = call.fun.unparenthesized {
                        goroutines.insert(inner.lbrace)
                    }
                    return true
                }) { x in
                    if case .funcLit(let type, let inner) = x {
                        count += 1
                        let name = topLevel ? "\(outer).func\(count)" : "\(outer).\(count)"
                        units.append(FunctionUnit(name: name, type: type, body: inner, isLiteral: true, receiver: receiver,
                                                  startedByEndlessFunction: goroutines.contains(inner.lbrace)))
                        literals(in: inner.statements, outer: name, topLevel: false, receiver: receiver)
                    }
                    return true
                }
            }
        }
        var globals = 0
        for decl in syntax.decls {
            switch decl {
            case .function(let f):
                guard let body = f.body else { continue }
                let name = runtimeName(f, runtimePackage: packagePath)
                units.append(FunctionUnit(name: name, type: f.type, body: body, isLiteral: false, receiver: f.receiver))
                literals(in: body.statements, outer: name, topLevel: true, receiver: f.receiver)
            case .gen(let g):
                for spec in g.specs {
                    guard case .value(_, _, let values) = spec else { continue }
                    for v in values {
                        Walk.expr(v, intoFuncLits: false) { x in
                            if case .funcLit(let type, let body) = x {
                                globals += 1
                                let name = "\(packagePath).init.func\(globals)"
                                units.append(FunctionUnit(name: name, type: type, body: body, isLiteral: true))
                                literals(in: body.statements, outer: name, topLevel: false, receiver: nil)
                            }
                            return true
                        }
                    }
                }
            }
        }
        return units
    }

    /// Whether returning from the context's function ends the process: it is `main.main`, or a
    /// declared function `f` of package main that `main.main` calls in its last statement
    /// (`if err := run(); err != nil { log.Fatal(err) }`, `os.Exit(run())`, `run()`), not in a
    /// loop. Other callers of `f` in the package are not looked for.
    static func endsTheProcess(_ ctx: CheckContext) -> Bool {
        let unit = ctx.unit
        if unit.name == "main.main" { return true }
        guard !unit.isLiteral, unit.receiver == nil, unit.name.hasPrefix("main."),
              let name = unit.name.split(separator: ".").last.map(String.init), !name.contains("("),
              let main = ctx.package.functions["main"], main.receiver == nil, main.type.params.isEmpty,
              let last = main.body?.statements.last else { return false }
        func callsUnit(_ e: Expr) -> Bool {
            Walk.contains(e, intoFuncLits: false, where: { x in
                if case .call(let c) = x, c.fun.identName == name { return true }
                return false
            })
        }
        switch last {
        case .expr(let e): return callsUnit(e)
        case .returnStmt(let results, _): return results.contains(where: callsUnit)
        case .ifStmt(let s):
            if case .assign(_, _, let rhs, _)? = s.initial, rhs.contains(where: callsUnit) { return true }
            return callsUnit(s.condition)
        default: return false
        }
    }

    /// Whether the context's function is a command-line command's handler, whose return ends the
    /// command and, in a command-line tool, the process with it: cobra's `func(cmd *cobra.Command,
    /// args []string)` (with or without an `error` result), urfave/cli's `func(c *cli.Context) error`
    /// (v1, v2) or `func(ctx context.Context, cmd *cli.Command) error` (v3), or go-flags'
    /// `Execute(args []string) error` on a type named `…Cmd` or `…Command`; maruel/subcommands'
    /// `Run(subcommands.Application, []string, subcommands.Env) int` and mitchellh/cli's
    /// `Run(args []string) int` on a type named `…Cmd` or `…Command` (since session 37). Declared or literal
    /// (`RunE: func(cmd *cobra.Command, args []string) error {…}`). ffcli's `Exec` literals are
    /// recognised by the literal they are written in (`isFFCommand`), in `RunsOnce`.
    static func isCommandHandler(_ ctx: CheckContext) -> Bool {
        isCommandHandler(type: ctx.unit.type, imports: ctx.imports, isLiteral: ctx.unit.isLiteral, receiver: ctx.unit.receiver,
                         unitName: ctx.unit.name)
    }

    /// Whether `type` names ffcli's command (`ffcli.Command`, `github.com/peterbourgon/ff/…/ffcli`)
    /// or ff v4's (`ff.Command`), whose `Exec` field holds the command's handler.
    static func isFFCommand(_ type: Expr, imports: [String: String]) -> Bool {
        var t = type.unparenthesized
        if case .star(let inner, _) = t { t = inner.unparenthesized }
        if case .unary(.and, let inner, _) = t { t = inner.unparenthesized }
        guard case .selector(.ident(let x), let name) = t, name.name == "Command", let path = imports[x.name],
              path.hasPrefix("github.com/peterbourgon/ff") else { return false }
        return path.hasSuffix("/ffcli") || path == "github.com/peterbourgon/ff/v4"
    }

    /// `isCommandHandler` for a function of this type, in a file with these imports.
    static func isCommandHandler(type: FuncType, imports: [String: String], isLiteral: Bool, receiver: Field?,
                                 unitName: String) -> Bool {
        // One entry per parameter: `a, b []string` is two.
        let params = type.params.flatMap { field in Array(repeating: field.type.unparenthesized, count: max(1, field.names.count)) }
        let results = type.results.flatMap { field in Array(repeating: field.type.unparenthesized, count: max(1, field.names.count)) }
        func named(_ e: Expr, pathPrefix: String, _ name: String) -> Bool {
            var t = e
            if case .star(let inner, _) = t { t = inner.unparenthesized }
            guard case .selector(.ident(let x), let selected) = t, selected.name == name, let path = imports[x.name] else { return false }
            return path == pathPrefix || path.hasPrefix(pathPrefix + "/")
        }
        func isStrings(_ e: Expr) -> Bool {
            guard case .arrayType(nil, let element, _) = e else { return false }
            return element.identName == "string"
        }
        if results.count == 1, results[0].identName == "int", !isLiteral, let receiver, unitName.hasSuffix(".Run") {
            // maruel/subcommands (luci's `bb`, `cipd`): `Run(a subcommands.Application, args []string, env subcommands.Env) int`.
            if params.count == 3, named(params[0], pathPrefix: "github.com/maruel/subcommands", "Application"), isStrings(params[1]),
               named(params[2], pathPrefix: "github.com/maruel/subcommands", "Env") { return true }
            // mitchellh/cli (HashiCorp's tools): `Run(args []string) int` on a command type.
            if params.count == 1, isStrings(params[0]) { return isCommandType(receiver) }
            return false
        }
        let returnsError = results.isEmpty || results.count == 1 && results[0].identName == "error"
        guard returnsError else { return false }
        if params.count == 2, named(params[0], pathPrefix: "github.com/spf13/cobra", "Command"), isStrings(params[1]) { return true }
        if results.count == 1, params.count == 1, named(params[0], pathPrefix: "github.com/urfave/cli", "Context") { return true }
        if results.count == 1, params.count == 2, named(params[0], pathPrefix: "context", "Context"),
           named(params[1], pathPrefix: "github.com/urfave/cli", "Command") { return true }
        if results.count == 1, params.count == 1, isStrings(params[0]), !isLiteral, let receiver,
           unitName.hasSuffix(".Execute") {
            return isCommandType(receiver)
        }
        return false
    }

    /// Whether a method's receiver is a type named `…Cmd` or `…Command`.
    private static func isCommandType(_ receiver: Field) -> Bool {
        let typeName = receiverName(receiver.type).filter { !"(*)".contains($0) }
        return typeName.hasSuffix("Cmd") || typeName.hasSuffix("Command")
    }

    /// Whether `statements` hold a label or a `goto` at any depth, function literals included (a
    /// loop written without `for`, or a way around the statements between).
    static func jumps(_ statements: [Stmt]) -> Bool {
        contains(statements) { st in
            switch st {
            case .labeled, .branch(.kwGoto, _, _): true
            default: false
            }
        }
    }

    /// Whether `statements` hold a `return`, a `break`, `continue` or `goto`, or a label at any
    /// depth, function literals included: a way out before their last statement.
    static func leaves(_ statements: [Stmt]) -> Bool {
        contains(statements) { st in
            switch st {
            case .returnStmt, .branch, .labeled: true
            default: false
            }
        }
    }

    /// `var x T` (every spec without a value): it runs nothing.
    static func isValuelessDeclaration(_ s: Stmt) -> Bool {
        guard case .decl(let d) = s else { return false }
        return d.specs.allSatisfy { if case .value(_, _, let values) = $0 { return values.isEmpty } else { return false } }
    }

    /// Whether `name` is declared anywhere in `statements` (`name :=`, `var name`, a range
    /// variable, a function literal's parameter): a later `name` may be that variable.
    /// `intoFuncLits: false` reads the statements' own declarations only, not those of literals
    /// inside them (parameters included).
    static func declares(_ name: String, in statements: [Stmt], intoFuncLits: Bool = true) -> Bool {
        var found = false
        for s in statements where !found {
            Walk.statements(s, intoFuncLits: intoFuncLits, { st in
                switch st {
                case .assign(let lhs, .define, _, _): if lhs.contains(where: { $0.identName == name }) { found = true }
                case .rangeStmt(let key, let value, .define, _, _, _): if key?.identName == name || value?.identName == name { found = true }
                case .decl(let g):
                    for case .value(let names, _, _) in g.specs where names.contains(where: { $0.name == name }) { found = true }
                default: break
                }
                return !found
            }, { x in
                if intoFuncLits, case .funcLit(let type, _) = x, type.params.contains(where: { $0.names.contains { $0.name == name } }) { found = true }
                return !found
            })
        }
        return found
    }

    /// Whether `statements` hold a `goto` (function literals included): the one jump that can
    /// make a loop of statements written once (a label alone only names a loop, a `switch` or a
    /// `select` for `break` and `continue`).
    static func hasGoto(_ statements: [Stmt]) -> Bool {
        contains(statements) { st in
            if case .branch(.kwGoto, _, _) = st { return true }
            return false
        }
    }

    private static func contains(_ statements: [Stmt], _ test: (Stmt) -> Bool) -> Bool {
        statements.contains { s in
            var found = false
            Walk.statements(s, intoFuncLits: true, { st in
                if test(st) { found = true }
                return !found
            }, { _ in !found })
            return found
        }
    }

    /// Whether `s`, or a statement inside it (function literals included), assigns to the local
    /// `name` (`name = …`, `name, err := …`).
    static func assigns(_ s: Stmt, _ name: String) -> Bool {
        var assigned = false
        Walk.statements(s, intoFuncLits: true, { st in
            if case .assign(let lhs, _, _, _) = st, lhs.contains(where: { $0.identName == name }) { assigned = true }
            return !assigned
        }, { _ in true })
        return assigned
    }

    /// A declared function's name as the runtime prints it (`pkg.f`, `pkg.(*T).m`), given the
    /// package path as the runtime prints it (`GoSymbol.runtimePackagePath`).
    static func runtimeName(_ f: FuncDecl, runtimePackage: String) -> String {
        runtimePackage + "." + (f.receiver.map { receiverName($0.type) + "." } ?? "") + f.name.name
    }

    /// `(*T)` or `T`, without type arguments, as in runtime names.
    static func receiverName(_ type: Expr) -> String {
        switch type.unparenthesized {
        case .star(let inner, _): return "(*\(receiverName(inner)))"
        case .ident(let id): return id.name
        case .index(let x, _, _): return receiverName(x) + "[...]"
        default: return "?"
        }
    }

    /// Calls after which the path does not continue: panic, os.Exit, log.Fatal…, t.Fatal…,
    /// runtime.Goexit.
    static func neverReturns(_ call: Call) -> Bool {
        switch call.fun {
        case .ident(let id): return id.name == "panic"
        case .selector(.ident(let x), let selected):
            let n = selected.name
            if x.name == "os" && n == "Exit" { return true }
            if x.name == "runtime" && n == "Goexit" { return true }
            if (x.name == "log" || x.name == "klog" || x.name == "glog") && (n.hasPrefix("Fatal") || n.hasPrefix("Panic")) { return true }
            return ["Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow"].contains(n)
        case .selector(_, let selected):
            return ["Fatal", "Fatalf", "FailNow", "SkipNow", "Skipf"].contains(selected.name)
        default: return false
        }
    }

    /// The unit's parameters of type `*testing.T`, `*testing.B`, `*testing.F` or `testing.TB`.
    static func testers(_ unit: FunctionUnit) -> Set<String> {
        var testers = Set<String>()
        for field in unit.type.params {
            var type = field.type.unparenthesized
            if case .star(let inner, _) = type { type = inner.unparenthesized }
            guard case .selector(.ident(let package), let name) = type, package.name == "testing",
                  ["T", "B", "F", "TB"].contains(name.name) else { continue }
            for n in field.names { testers.insert(n.name) }
        }
        return testers
    }

    /// The offset of a top-level `t.Skip(…)`, `t.Skipf(…)` or `t.SkipNow()` in a function whose
    /// parameter `t` is a `*testing.T`, `*testing.B`, `*testing.F` or `testing.TB`: what follows
    /// it never runs.
    static func unconditionalSkip(_ unit: FunctionUnit) -> Int32? {
        let testers = testers(unit)
        guard !testers.isEmpty else { return nil }
        for case .expr(.call(let c)) in unit.body.statements {
            if case .selector(.ident(let t), let method) = c.fun.unparenthesized, testers.contains(t.name),
               ["Skip", "Skipf", "SkipNow"].contains(method.name) {
                return c.fun.pos
            }
        }
        return nil
    }

    /// Whether `loop` is a retry loop with a small fixed count: `for i := 0; i < N; i++` or
    /// `for range N` with `N` an integer literal of at most `LintThresholds.shortLoopTurns`. What it
    /// leaks per turn, it leaks a known few times per call, not a growing number.
    static func isShortCountedLoop(_ loop: Stmt?) -> Bool {
        func small(_ e: Expr) -> Bool {
            guard case .basicLit(.int, let text, _) = e.unparenthesized, let n = Int(text) else { return false }
            return n <= LintThresholds.shortLoopTurns
        }
        switch loop {
        case .forStmt(let initial?, let condition?, let post?, let body, _)?:
            guard case .assign(let lhs, .define, let rhs, _) = initial, lhs.count == 1, rhs.count == 1,
                  let counter = lhs[0].identName, case .basicLit(.int, "0", _) = rhs[0],
                  case .binary(let op, let a, let b, _) = condition, op == .lss || op == .leq,
                  a.identName == counter, small(b), case .incDec(let x, .inc) = post, x.identName == counter
            else { return false }
            // The body must leave the counter alone (`i--` on a 429 makes the retry endless).
            var changed = false
            for s in body.statements {
                Walk.statements(s, intoFuncLits: false, { st in
                    switch st {
                    case .incDec(let x, _) where x.identName == counter: changed = true
                    case .assign(let lhs, _, _, _) where lhs.contains(where: { $0.identName == counter }): changed = true
                    default: break
                    }
                    return !changed
                }, { _ in true })
            }
            return !changed
        case .rangeStmt(_, _, _, let collection, _, _)?:
            return small(collection)
        default:
            return false
        }
    }

    /// Whether a function body never returns: it has no `return` and ends in `select {}` or in a
    /// `for` with no condition and no way out (`runCommand(…) { …; go worker(); select {} }`).
    /// What it starts lives as long as the process, by design.
    static func blocksForever(_ body: [Stmt]) -> Bool {
        guard let last = body.last else { return false }
        var endless = EndlessGoroutine.isEndless(last)
        if case .select(let clauses, _) = last, clauses.isEmpty { endless = true }
        return endless && AbandonedSend.firstReturn(body) == nil
    }

    /// A file's imports: local name → import path (blank and dot imports left out).
    static func imports(_ syntax: FileSyntax) -> [String: String] {
        var imports: [String: String] = [:]
        for (name, path) in syntax.imports {
            let local = name ?? defaultName(path)
            if local != "_" && local != "." { imports[local] = path }
        }
        return imports
    }

    /// The last name of an identifier or selector chain (`ch`, `s.done` → `done`), through `*` and parentheses.
    static func finalName(_ e: Expr) -> String? {
        switch e.unparenthesized {
        case .ident(let id): return id.name
        case .selector(_, let selected): return selected.name
        case .star(let inner, _): return finalName(inner)
        default: return nil
        }
    }

    /// The names `statements` declare, function literals included: every `:=`, `var` and `range`
    /// variable, and the literals' parameters and results. Any of them may hide a package name.
    static func declaredNames(_ statements: [Stmt]) -> Set<String> {
        var names = Set<String>()
        for s in statements {
            Walk.statements(s, intoFuncLits: true, { st in
                switch st {
                case .assign(let lhs, .define, _, _): for l in lhs { if let n = l.identName { names.insert(n) } }
                case .rangeStmt(let key, let value, .define, _, _, _):
                    for e in [key, value].compactMap({ $0 }) { if let n = e.identName { names.insert(n) } }
                case .decl(let d):
                    for case .value(let declared, _, _) in d.specs { for n in declared { names.insert(n.name) } }
                default: break
                }
                return true
            }, { e in
                if case .funcLit(let type, _) = e {
                    for field in type.params + type.results { for n in field.names { names.insert(n.name) } }
                }
                return true
            })
        }
        return names
    }

    /// A canonical spelling of simple operand chains (`c.mu`, `s.shards[i].mu`), nil for anything else.
    static func text(_ e: Expr) -> String? {
        switch e {
        case .ident(let id): return id.name
        case .paren(let x, _): return text(x)
        case .selector(let x, let selected): return text(x).map { "\($0).\(selected.name)" }
        case .star(let x, _): return text(x).map { "*\($0)" }
        case .unary(.and, let x, _): return text(x).map { "&\($0)" }
        case .index(let x, let indices, _):
            guard let base = text(x) else { return nil }
            let inner = indices.map { text($0) ?? literalText($0) ?? "?" }
            return "\(base)[\(inner.joined(separator: ","))]"
        default: return nil
        }
    }

    static func literalText(_ e: Expr) -> String? {
        if case .basicLit(_, let text, _) = e { return text }
        return nil
    }

    /// Whether `s` mentions identifier `name` anywhere (function literals included).
    static func mentions(_ s: Stmt, _ name: String) -> Bool {
        Walk.contains(s) { x in x.identName == name }
    }

    static func mentions(_ e: Expr, _ name: String) -> Bool {
        Walk.contains(e) { x in x.identName == name }
    }

    /// The channel a select case receives from (`<-ch`, `v := <-ch`, `v, ok = <-ch`); nil for a
    /// send or `default`.
    static func receivedChannel(_ comm: Stmt?) -> Expr? {
        var received: Expr?
        switch comm {
        case .expr(let x)?: received = x
        case .assign(_, _, let rhs, _)? where rhs.count == 1: received = rhs[0]
        default: break
        }
        guard case .unary(.arrow, let operand, _)? = received?.unparenthesized else { return nil }
        return operand
    }

    /// The call if `e` is a call (through parentheses).
    static func call(_ e: Expr) -> Call? {
        if case .call(let c) = e.unparenthesized { return c }
        return nil
    }

    /// `x.method(...)` → (x, method).
    static func methodCall(_ call: Call) -> (receiver: Expr, method: String)? {
        if case .selector(let x, let selected) = call.fun { return (x, selected.name) }
        return nil
    }
}
