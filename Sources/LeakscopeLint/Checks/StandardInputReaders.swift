import LeakscopeGoSource

extension AbandonedSend {
    /// Why a finding whose every sender first reads standard input is `low`.
    static let promptReader = "the sender first reads the process's standard input: it waits for the user whatever the receiver does, and a command-line prompt is given up only when the tool is interrupted and exits"

    /// Whether a sender's `body` reads the process's standard input: `os.Stdin` or any
    /// `x.Stdin` (an environment's or a command's), cobra's `InOrStdin()`, `fmt.Scan…`, a name
    /// containing "stdin", or a local of `scope` made from one of those (`r :=
    /// bufio.NewReader(os.Stdin)` before the `go` statement). Such a goroutine is a prompt's
    /// reader (terragrunt's `PromptUserForInput`): it blocks in the read until the user answers,
    /// so no fix in the receiver frees it sooner, and one is started per question a person answers.
    static func readsStandardInput(_ body: [Stmt], scope: [Stmt], _ ctx: CheckContext) -> Bool {
        func reads(_ e: Expr) -> Bool {
            Walk.contains(e) { x in
                switch x {
                case .selector(_, let field):
                    return field.name == "Stdin" || field.name == "InOrStdin"
                case .ident(let id):
                    return id.name.lowercased().contains("stdin")
                case .call(let c):
                    guard let m = ctx.packageMember(c.fun) else { return false }
                    return m.path == "fmt" && m.name.hasPrefix("Scan")
                default:
                    return false
                }
            }
        }
        var names = Set<String>()
        var direct = false
        for s in body {
            Walk.stmt(s) { x in
                if reads(x) { direct = true }
                if case .ident(let id) = x { names.insert(id.name) }
                return !direct
            }
            if direct { return true }
        }
        return names.contains { name in
            BodilessServers.Resolver.assignments(to: name, in: scope).contains(where: reads)
        }
    }
}
