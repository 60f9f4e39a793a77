import LeakscopeGoSource

/// Registries of the standard library that hold one entry per name for the life of the process
/// and panic when a name comes again: `http.Handle`/`http.HandleFunc` on the default mux
/// ("multiple registrations for /path"), `expvar.Publish` ("Reuse of exported var name"), and
/// the command line's flags (`flag.String`, `flag.IntVar` …: "flag redefined"). A function that
/// always registers a constant name in one of them can complete only once per process, whoever
/// calls it: `RunsOnce` takes it as a root, like `main` (gokrazy's `superviseServices` starts one
/// supervisor per service, then installs `/stop` and `/restart` on the default mux).
enum ProcessRegistries {
    /// `flag` functions by the index of their name argument.
    static let flagNameArgument: [String: Int] = [
        "Bool": 0, "Int": 0, "Int64": 0, "Uint": 0, "Uint64": 0, "String": 0, "Float64": 0, "Duration": 0,
        "Func": 0, "BoolFunc": 0,
        "BoolVar": 1, "IntVar": 1, "Int64Var": 1, "UintVar": 1, "Uint64Var": 1, "StringVar": 1, "Float64Var": 1,
        "DurationVar": 1, "Var": 1, "TextVar": 1,
    ]

    /// Whether one of `body`'s top-level statements registers a constant name in a process-wide
    /// registry and no `return` comes before it (a function that may return first can run again).
    /// `locals`: the function's parameters, results, receiver and locals, which hide a package
    /// of the same name (`func watch(flag *flag.FlagSet)`: `flag.DurationVar` is the parameter's);
    /// asked only when a registration is found.
    static func registersOnce(_ body: [Stmt], imports: [String: String], locals: () -> Set<String>) -> Bool {
        for statement in body {
            if case .expr(.call(let call)) = statement, registers(call, imports: imports),
               case .selector(.ident(let x), _) = call.fun.unparenthesized {
                return !locals().contains(x.name)
            }
            if AbandonedSend.firstReturn([statement]) != nil { return false }
        }
        return false
    }

    /// Whether `call` registers a string literal in the default mux, expvar or the command line.
    static func registers(_ call: Call, imports: [String: String]) -> Bool {
        guard case .selector(.ident(let x), let function) = call.fun.unparenthesized, let path = imports[x.name] else { return false }
        let nameArgument: Int?
        switch path {
        case "net/http": nameArgument = ["Handle", "HandleFunc"].contains(function.name) ? 0 : nil
        case "expvar": nameArgument = function.name == "Publish" ? 0 : nil
        case "flag": nameArgument = flagNameArgument[function.name]
        default: nameArgument = nil
        }
        guard let nameArgument, nameArgument < call.args.count,
              case .basicLit(.string, _, _) = call.args[nameArgument].unparenthesized else { return false }
        return true
    }
}
