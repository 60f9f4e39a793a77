import LeakscopeGoSource

/// Code that runs once per process because it is an application's start or stop hook: the
/// function literals given as `OnStart` or `OnStop` of an `fx.Hook{…}` literal, or handed to
/// `fx.StartHook`, `fx.StopHook` or `fx.StartStopHook` (`go.uber.org/fx`), appended to a
/// lifecycle (`lc.Append(…)`), and the literals they start with `go`, call on the spot or defer,
/// outside loops, labels and `goto` written there. An fx application runs each hook once, when it
/// starts or stops, and a process runs one application: a sender stranded when a stop hook gives
/// up waiting is one, left as the process ends, like `RunsOnce`'s functions (boost's data-transfer
/// stop hook; docs/LINT.md, session 24). A program that builds an application per job, in a loop,
/// runs its hooks once per job: the source of `fx.New` is not followed.
enum LifecycleHooks {
    static let note = "an application's start or stop hook (fx.Hook's OnStart or OnStop), run once per process: one is left behind, not a growing number"

    /// The import path of the framework whose hooks count.
    static let fx = "go.uber.org/fx"
    /// The fields of `fx.Hook` that hold hooks.
    static let hookFields: Set<String> = ["OnStart", "OnStop"]
    /// The constructors of `fx.Hook` that take hook functions.
    static let hookConstructors: Set<String> = ["StartHook", "StopHook", "StartStopHook"]

    /// Whether `offset` of `file` lies in a hook appended to an application's lifecycle
    /// (`lc.Append(fx.Hook{…})`, `lc.Append(fx.StopHook(…))`), outside its loops, with no label
    /// or `goto` in it, and every function literal between them started with `go`, called on the
    /// spot or deferred (a handler registered there, or a closure stored and called later, may run
    /// any number of times); in a function where no local hides the package's name.
    static func encloses(_ offset: Int32, in file: SourceFile, imports: [String: String]) -> Bool {
        guard let syntax = file.syntax, let name = imports.first(where: { $0.value == fx })?.key else { return false }
        var found = false
        func visit(_ e: Expr) -> Bool {
            guard !found else { return false }
            guard case .call(let append) = e, case .selector(_, let method) = append.fun.unparenthesized,
                  method.name == "Append", append.args.count == 1 else { return true }
            for body in hookBodies(append.args[0].unparenthesized, imports: imports)
            where body.lbrace <= offset && offset <= body.rbrace
                && OnceDo.runsOnceWithin(offset, body) {
                found = true
            }
            return !found
        }
        for case .function(let f) in syntax.decls {
            guard let body = f.body, body.lbrace <= offset && offset <= body.rbrace, !OnceDo.localNames(f).contains(name) else { continue }
            for s in body.statements where !found { _ = Walk.contains(s) { e in !visit(e) } }
            return found
        }
        return false
    }

    /// The import path of kardianos/service, whose service manager calls a program's `Start` once
    /// when the service starts and its `Stop` once when it stops.
    static let service = "github.com/kardianos/service"

    /// Whether `f` is a program's `Start(s service.Service) error` or `Stop(s service.Service)
    /// error` for kardianos/service: it runs once per process (`RunsOnce` takes it as a root), so
    /// what its `go p.run()` starts runs once too (Cosmos-Server's `CheckInternet`, docs/LINT.md
    /// session 35).
    static func isServiceHook(_ f: FuncDecl, imports: [String: String]) -> Bool {
        guard f.receiver != nil, f.name.name == "Start" || f.name.name == "Stop", f.type.params.count == 1,
              f.type.params[0].names.count <= 1, f.type.results.count == 1, f.type.results[0].names.count <= 1,
              f.type.results[0].type.identName == "error",
              case .selector(.ident(let package), let type) = f.type.params[0].type.unparenthesized,
              type.name == "Service", imports[package.name] == service else { return false }
        return true
    }

    /// The bodies of the hook literals `e` itself holds: `fx.Hook{OnStart: func(…) error {…}}`
    /// or `fx.StopHook(func(…) {…})`.
    static func hookBodies(_ e: Expr, imports: [String: String]) -> [Block] {
        func isFx(_ x: Expr, _ names: Set<String>) -> Bool {
            guard case .selector(.ident(let package), let name) = x.unparenthesized else { return false }
            return names.contains(name.name) && imports[package.name] == fx
        }
        func literal(_ x: Expr) -> Block? {
            if case .funcLit(_, let body) = x.unparenthesized { return body }
            return nil
        }
        switch e {
        case .compositeLit(let type?, let elements, _, _) where isFx(type, ["Hook"]):
            return elements.compactMap { element in
                guard case .keyValue(let key, let value, _) = element, let field = key.identName,
                      hookFields.contains(field) else { return nil }
                return literal(value)
            }
        case .call(let call) where isFx(call.fun, hookConstructors):
            return call.args.compactMap(literal)
        default:
            return []
        }
    }
}
