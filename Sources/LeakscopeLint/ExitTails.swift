import LeakscopeGoSource

/// The calls a function makes last, after which it only finishes: logs, wraps an error, exits
/// or returns. When `main` (or a command's `RunE` literal) makes them, the callee's return ends
/// the process: carbon-relay-ng's `if !manager.Stop(inputs, timeout) { os.Exit(1) }`, the last
/// statement of main after the stop signal, strands its collector only as the process ends
/// (docs/LINT.md, session 29). `RunsOnce.endsProcess` follows them from main and the handlers.
///
/// What is not seen is not known: a library's exported function that the linted `main` calls
/// last may be called by other modules too. An example program's `main` (under `example`,
/// `demo`, `sample`… directories) is not taken as the process's, since examples are written to
/// call a library's API last.
enum ExitTails {
    /// The fields of a command literal whose function is the command itself (cobra's `Run` and
    /// `RunE`, urfave/cli's `Action`; ffcli's `Exec` is read where its type is known), not a hook
    /// such as `PersistentPreRunE` that runs before it.
    static let commandKeys: Set<String> = ["Run", "RunE", "Action"]

    /// The methods that run a command tree (cobra's), called in a loop by an interactive shell.
    static let executeMethods: Set<String> = ["Execute", "ExecuteC", "ExecuteContext", "ExecuteContextC"]

    /// Whether a `main` package's directory lies in an example, demo, sample or tutorial
    /// directory, up to two levels up (`examples/basic`, `_examples/grpc/server`; not a whole
    /// checkout under someone's `samples/`).
    static func isExample(directory: String) -> Bool {
        directory.split(separator: "/").suffix(3).contains { element in
            let name = element.lowercased().trimmingPrefix("_")
            return ["example", "examples", "demo", "demos", "sample", "samples", "tutorial", "tutorials"].contains(String(name))
        }
    }

    /// The note of a finding whose function's return ends the process.
    static let note = "the function's return ends the process: main or a command's handler calls it last, then only logs, exits or returns, and no other linted code calls it; what it leaves behind goes with the process"

    /// Log and print methods, whose calls after the tail only write a line.
    static let logMethods: Set<String> = [
        "Print", "Printf", "Println", "Info", "Infof", "Infow", "Error", "Errorf", "Errorw", "Warn", "Warnf", "Warnw",
        "Warning", "Warningf", "Debug", "Debugf", "Debugw", "Fatal", "Fatalf", "Fatalln", "Fatalw", "Exit", "Exitf", "Sync",
    ]

    /// Error constructors a finishing `return` may call.
    static let errorMakers: Set<String> = ["Errorf", "New", "Wrap", "Wrapf", "WithMessage", "WithMessagef", "WithStack", "Join"]

    /// The positions (`Call.fun.pos`) of the calls `body`'s top-level statements make last: in a
    /// `return`, or in a statement (its expression, an assignment's right side, an `if`'s init
    /// or condition) followed only by finishing statements, an `if`'s branches finishing too.
    /// Not a `go` or `defer` statement's call, nor a call inside a function literal.
    static func calls(_ body: [Stmt], imports: [String: String]) -> Set<Int32> {
        var out = Set<Int32>()
        for statement in body.reversed() {
            // The expressions a simple statement evaluates (an `if`'s init is one).
            func head(_ s: Stmt?) {
                switch s {
                case .returnStmt(let values, _)?, .assign(_, _, let values, _)?: for v in values { collect(v, into: &out) }
                case .expr(let x)?: collect(x, into: &out)
                default: break
                }
            }
            if case .ifStmt(let i) = statement {
                if finishes(i.body.statements, imports) && (i.elseBranch.map { finishes([$0], imports) } ?? true) {
                    head(i.initial)
                    collect(i.condition, into: &out)
                }
            } else {
                head(statement)
            }
            // Earlier statements are followed by this one: a tail only if it only finishes.
            if !finishes([statement], imports) { break }
        }
        return out
    }

    /// The calls `e` makes last: its outermost calls, not those whose results they take as
    /// arguments or receivers (`serve(warm(x))`: `warm` returns before `serve` runs), nor one
    /// whose result is received from (`<-start()`), nor any inside a function literal.
    static func collect(_ e: Expr, into out: inout Set<Int32>) {
        Walk.expr(e, intoFuncLits: false) { x in
            switch x {
            case .call(let c):
                out.insert(c.fun.pos)
                return false
            case .unary(.arrow, _, _), .funcLit:
                return false
            default:
                return true
            }
        }
    }

    /// Whether every statement of `list` only finishes: a `return` whose results call nothing
    /// but error constructors, `os.Exit`, `panic`, a log or print call, or an `if` that calls
    /// nothing in its condition and whose branches finish.
    static func finishes(_ list: [Stmt], _ imports: [String: String]) -> Bool {
        list.allSatisfy { s in
            switch s {
            case .returnStmt(let results, _): return results.allSatisfy { callsOnly($0, imports, errorMakersToo: true) }
            case .expr(let x):
                guard let call = Lint.call(x) else { return false }
                return isFinishingCall(call, imports) && call.args.allSatisfy { callsOnly($0, imports, errorMakersToo: true) }
            case .ifStmt(let i):
                return i.initial == nil && callsOnly(i.condition, imports, errorMakersToo: false)
                    && finishes(i.body.statements, imports) && (i.elseBranch.map { finishes([$0], imports) } ?? true)
            case .block(let b): return finishes(b.statements, imports)
            case .empty: return true
            default: return false
            }
        }
    }

    /// `os.Exit`, `panic`, `log.…`, `fmt.Print…`/`fmt.Fprint…`, or a method named like a logger's.
    static func isFinishingCall(_ call: Call, _ imports: [String: String]) -> Bool {
        switch call.fun.unparenthesized {
        case .ident(let f): return f.name == "panic"
        case .selector(.ident(let x), let m):
            switch imports[x.name] {
            case "os": return m.name == "Exit"
            case "log": return true
            case "fmt": return m.name.hasPrefix("Print") || m.name.hasPrefix("Fprint")
            case .some: return false
            case nil: return logMethods.contains(m.name)
            }
        case .selector(_, let m): return logMethods.contains(m.name)
        default: return false
        }
    }

    /// Whether `e` calls nothing, or (`errorMakersToo`) only error constructors and `Error()`.
    static func callsOnly(_ e: Expr, _ imports: [String: String], errorMakersToo: Bool) -> Bool {
        !Walk.contains(e, intoFuncLits: false) { x in
            guard case .call(let c) = x else { return false }
            guard errorMakersToo else { return true }
            if case .selector(_, let m) = c.fun.unparenthesized, errorMakers.contains(m.name) || m.name == "Error" { return false }
            return true
        }
    }
}

extension RunsOnce {
    /// `resolve`, methods of every kind included (`openMethodsByName`).
    func resolveAll(_ target: Target) -> [Int] {
        guard let (name, fits) = byMethodName(target) else { return resolve(target) }
        return resolve(target) + (openMethodsByName[name] ?? []).filter(fits)
    }

    /// Which nodes' return ends the process: `main.main` (`Node.endsAtReturn`), the commands'
    /// handler literals (`handlers`), and
    /// functions every call of which is one of the calls such a function makes last
    /// (`ExitTails.calls`), reached from one of them. Unlike `solve`, a function other modules
    /// might call (exported by an importable package, a `Stop` or `Run` method) is asked about
    /// too: that main calls it last, after its stop signal, says it is the application's own
    /// shutdown. Calls are over-approximated as in `solve` (a method by name), which only keeps
    /// a function out: a call by name is never a tail call. One used as a value, handed on or
    /// called from an initialiser never ends the process.
    func endsProcess() -> [Bool] {
        var callers = [[(node: Int?, tail: Bool)]](repeating: [], count: nodes.count)
        var callees = [[Int]](repeating: [], count: nodes.count)
        var escaped = [Bool](repeating: false, count: nodes.count)
        for site in sites {
            // A method called by name may be another type's (urfave's `app.Run(os.Args)` names
            // every linted `Run` of one parameter): such a call never vouches for a callee.
            let named = byMethodName(site.target) != nil
            let tail = site.tail && !site.many && !named
            for target in resolveAll(site.target) {
                if site.escape {
                    escaped[target] = true
                } else {
                    callers[target].append((site.caller, tail))
                    if let caller = site.caller, tail { callees[caller].append(target) }
                }
            }
        }
        for pass in passes { for value in resolveAll(pass.value) { escaped[value] = true } }
        var ends = nodes.indices.map { i in
            (nodes[i].endsAtReturn && !(i == Self.handlers && commandsRunInLoop))
                || !escaped[i] && !callers[i].isEmpty && callers[i].allSatisfy { $0.tail && $0.node != nil }
        }
        // Drop a function with a caller that does not end the process, until nothing changes.
        var changed = true
        while changed {
            changed = false
            for i in nodes.indices where ends[i] && !nodes[i].endsAtReturn
                && callers[i].contains(where: { caller in caller.node.map { !ends[$0] } ?? true }) {
                ends[i] = false
                changed = true
            }
        }
        // Only what main or a handler reaches: a cycle of tail calls nothing enters is not.
        var reached = [Bool](repeating: false, count: nodes.count)
        var work = nodes.indices.filter { ends[$0] && nodes[$0].endsAtReturn }
        for i in work { reached[i] = true }
        while let i = work.popLast() {
            for callee in callees[i] where ends[callee] && !reached[callee] {
                reached[callee] = true
                work.append(callee)
            }
        }
        return nodes.indices.map { ends[$0] && reached[$0] }
    }
}
