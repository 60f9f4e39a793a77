import LeakscopeGoSource

/// A component's `Start`, `Run` or `Serve` runs for as long as the context it is given:
///
///     func (a *Agent) Start(ctx context.Context) error {
///         errc := make(chan error)
///         go func() { errc <- a.manager.Start(ctx) }()
///         select {
///         case <-ctx.Done(): return nil
///         case err := <-errc: return err
///         }
///     }
///
/// strands its one sender when that context ends, and for such a method the context's end is the
/// component's end, in practice the process's shutdown (egressgateway's agent and controller,
/// pinniped's webhook, cluster-monitoring-operator's `Run`; docs/LINT.md, session 30). An LS001
/// finding whose receiver gives up only that way is `low`, as is one (in any function) whose
/// receiver gives up only on a process signal, a receive from a channel of `os.Signal`. A
/// context's end in a function with any other name, or a receiver that can also give up on a
/// timeout or an error, stays `high`: a request's context ending strands one sender per request.
enum RunnerLifetimes {
    /// Why such a finding is `low`.
    static let note = "the receiver gives up only on a process signal, or when the context this Start/Run/Serve runs under ends, which ends the component (usually at shutdown): one sender per run, not per request"

    /// The names of lifecycle methods and functions (controller-runtime's `Runnable.Start`,
    /// `Run(ctx) error`, a server's `Serve`), exported or not.
    static let names: Set<String> = ["Start", "Run", "Serve", "start", "run", "serve"]

    /// Whether the context's unit is a runner: a declared function or method named in `names`
    /// that takes a `context.Context` and returns nothing or one `error`.
    static func isRunner(_ context: CheckContext) -> Bool {
        let unit = context.unit
        guard !unit.isLiteral, let last = unit.name.split(separator: ".").last, names.contains(String(last)),
              !context.parameters(ofType: "context", "Context").isEmpty else { return false }
        let results = unit.type.results.flatMap { field in Array(repeating: field.type, count: max(1, field.names.count)) }
        return results.isEmpty || (results.count == 1 && results[0].unparenthesized.identName == "error")
    }

    /// Whether `channel` is a parameter or local of the unit declared as a channel of
    /// `os.Signal`: what `signal.Notify` fills, so a case on it fires when the process is told to
    /// stop (esp-v2's `StartEnvoyAndWait(signalChan, …)`, session 30).
    static func isSignalChannel(_ channel: Expr, _ context: CheckContext) -> Bool {
        guard let name = channel.unparenthesized.identName,
              case .chanType(_, let element, _)? = LocalTypes(context.unit).types[name]?.unparenthesized,
              let member = context.packageMember(element.unparenthesized) else { return false }
        return member.path == "os" && member.name == "Signal"
    }

    /// Whether `comm`, a select case, waits only for the end of what runs: a process signal (a
    /// channel of `os.Signal`), or in a runner its context's end: `<-ctx.Done()` for a context
    /// parameter the body never assigns, or `<-stop` for a local set once, to `ctx.Done()`.
    static func awaitsEnd(_ comm: Stmt?, _ context: CheckContext) -> Bool {
        guard let operand = Lint.receivedChannel(comm) else { return false }
        if isSignalChannel(operand, context) { return true }
        guard isRunner(context) else { return false }
        let body = context.unit.body.statements
        let contexts = context.parameters(ofType: "context", "Context")
        func isDone(_ e: Expr) -> Bool {
            guard let call = Lint.call(e), call.args.isEmpty, case .selector(let base, let method) = call.fun.unparenthesized,
                  method.name == "Done", let name = base.unparenthesized.identName, contexts.contains(name) else { return false }
            return !body.contains { Lint.assigns($0, name) }
        }
        if isDone(operand) { return true }
        guard let alias = operand.unparenthesized.identName else { return false }
        let values = assignedValues(alias, body)
        guard values.count == 1, let value = values[0] else { return false }
        return isDone(value)
    }

    /// Every value `body` (function literals included) gives the local `name`: by `=`, `:=` or
    /// `var`; nil for one that cannot be told (`a, b := f()`, `var x T`, a range variable).
    static func assignedValues(_ name: String, _ body: [Stmt]) -> [Expr?] {
        var values: [Expr?] = []
        for s in body {
            Walk.statements(s, intoFuncLits: true, { st in
                switch st {
                case .assign(let lhs, _, let rhs, _):
                    if let i = lhs.firstIndex(where: { $0.identName == name }) { values.append(lhs.count == rhs.count ? rhs[i] : nil) }
                case .decl(let decl):
                    for case .value(let names, _, let given) in decl.specs {
                        guard let i = names.firstIndex(where: { $0.name == name }) else { continue }
                        values.append(names.count == given.count ? given[i] : nil)
                    }
                case .rangeStmt(let key, let value, _, _, _, _):
                    if key?.identName == name || value?.identName == name { values.append(nil) }
                default: break
                }
                return true
            }, { _ in true })
        }
        return values
    }

    /// The positions of the selects inside the body of a case that `awaitsEnd` (esp-v2's wait,
    /// with a timeout, for Envoy to exit after the signal it forwarded): they run only after the
    /// end came.
    static func selectsAfterEnd(_ body: [Stmt], _ context: CheckContext) -> Set<Int32> {
        var out = Set<Int32>()
        forEachStatement(body) { s, _ in
            guard case .select(let clauses, _) = s else { return }
            for clause in clauses where awaitsEnd(clause.comm, context) {
                forEachStatement(clause.body) { inner, _ in
                    if case .select(_, let pos) = inner { out.insert(pos) }
                }
            }
        }
        return out
    }

    /// Whether the receiving goroutine `receiver` stops receiving at `stop` (a return, or a select
    /// case it runs off its end from; `AbandonedSend.stopsReceiving`) only in a top-level select
    /// case that `awaitsEnd`.
    static func receiverStopsAtEnd(_ receiver: [Stmt], stop: Int32, _ context: CheckContext) -> Bool {
        for case .select(let clauses, _) in receiver {
            for clause in clauses where clause.pos == stop || AbandonedSend.firstReturn(clause.body) == stop {
                return awaitsEnd(clause.comm, context)
            }
        }
        return false
    }
}
