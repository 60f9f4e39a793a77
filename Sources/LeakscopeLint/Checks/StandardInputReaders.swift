import LeakscopeGoSource

extension AbandonedSend {
    /// Why a finding whose every sender first reads standard input is `low`.
    static let promptReader = "the sender first reads the process's standard input: it waits for the user whatever the receiver does, and a command-line prompt is given up only when the tool is interrupted and exits"

    /// Whether a sender's `body` reads the process's standard input: `os.Stdin` (or `syscall`'s
    /// and `x/sys/unix`'s), cobra's `cmd.InOrStdin()`, `fmt.Scan…`, or a local of `scope` made
    /// from one of those, through up to three assignments (`in := bufio.NewScanner(os.Stdin)`
    /// before the `go` statement). Such a goroutine is a prompt's reader: it blocks in the read
    /// until the user answers, so no fix in the receiver frees it sooner, and one is started per
    /// question a person answers. Names alone (`stdin`, `x.Stdin`) do not count: a server's
    /// attach stream is called that too (cri-o's `AttachContainer`, a real leak per request).
    static func readsStandardInput(_ body: [Stmt], scope: [Stmt], _ ctx: CheckContext) -> Bool {
        func reads(_ e: Expr) -> Bool {
            Walk.contains(e) { x in
                if case .call(let c) = x, case .selector(_, let method) = c.fun, method.name == "InOrStdin", c.args.isEmpty {
                    return true
                }
                guard let m = ctx.packageMember(x) ?? Lint.call(x).flatMap({ ctx.packageMember($0.fun) }) else { return false }
                switch m.path {
                case "os", "syscall", "golang.org/x/sys/unix": return m.name == "Stdin"
                case "fmt": return m.name.hasPrefix("Scan") && Lint.call(x) != nil
                default: return false
                }
            }
        }
        func names(_ e: Expr) -> Set<String> {
            var found = Set<String>()
            Walk.expr(e) { x in
                if case .ident(let id) = x { found.insert(id.name) }
                return true
            }
            return found
        }
        var seen = Set<String>()
        var frontier = Set<String>()
        for s in body {
            var direct = false
            Walk.stmt(s) { x in
                if reads(x) { direct = true }
                if case .ident(let id) = x { frontier.insert(id.name) }
                return !direct
            }
            if direct { return true }
        }
        for _ in 0..<3 where !frontier.isEmpty {
            seen.formUnion(frontier)
            var next = Set<String>()
            for name in frontier {
                for value in BodilessServers.Resolver.assignments(to: name, in: scope) {
                    if reads(value) { return true }
                    next.formUnion(names(value))
                }
            }
            frontier = next.subtracting(seen)
        }
        return false
    }
}
