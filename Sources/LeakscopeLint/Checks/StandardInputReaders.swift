import LeakscopeGoSource

extension AbandonedSend {
    /// Why a finding whose every sender first reads standard input is `low`.
    static let promptReader = "the sender first reads the process's standard input: it waits for the user whatever the receiver does, and a command-line prompt is given up only when the tool is interrupted and exits"

    /// Whether a sender's `body` reads the process's standard input: hands `os.Stdin` (or
    /// `syscall`'s and `x/sys/unix`'s) to a call or calls a method on it (`os.Stdin.Read`), calls
    /// cobra's `cmd.InOrStdin()` or `fmt.Scan…`, or does the same with a local of `scope` made
    /// from one of those, through up to three assignments (`in := bufio.NewScanner(os.Stdin)`
    /// before the `go` statement, then `in.Scan()`). Only values read count: a terminal check
    /// (`term.IsTerminal(int(os.Stdin.Fd()))`) or a flag computed from one does not. Such a
    /// goroutine is a prompt's reader: it blocks in the read until the user answers, so no fix in
    /// the receiver frees it sooner, and one is started per question a person answers. Names alone
    /// (`stdin`, `x.Stdin`) do not count: a server's attach stream is called that too (cri-o's
    /// `AttachContainer`, a real leak per request).
    ///
    /// A call to a function declared in the package whose own top-level statements read standard
    /// input counts too, one call deep (werf's prompt goroutine calls `askForConfirmation`, which
    /// reads `os.Stdin` a byte at a time).
    static func readsStandardInput(_ body: [Stmt], scope: [Stmt], _ ctx: CheckContext) -> Bool {
        readsStandardInput(body, scope: scope, imports: ctx.imports, ctx.package, followingCalls: true)
    }

    private static func readsStandardInput(_ body: [Stmt], scope: [Stmt], imports: [String: String], _ package: PackageFacts,
                                           followingCalls: Bool) -> Bool {
        func isStandardInput(_ e: Expr) -> Bool {
            guard case .selector(.ident(let x), let selected) = e.unparenthesized, let path = imports[x.name] else { return false }
            return ["os", "syscall", "golang.org/x/sys/unix"].contains(path) && selected.name == "Stdin"
        }
        /// Whether `c` calls a package function whose top-level statements read standard input.
        func callsReader(_ c: Call) -> Bool {
            guard followingCalls, let name = c.fun.unparenthesized.identName, let callee = package.functions[name],
                  let calleeBody = callee.body?.statements, let file = package.functionFiles[name] else { return false }
            // Only the callee's own top-level statements: a read under a condition
            // (`if path == "-" { return io.ReadAll(os.Stdin) }`) may never happen.
            let unconditional = calleeBody.filter { statement in
                switch statement {
                case .expr, .assign, .decl, .returnStmt: return true
                default: return false
                }
            }
            return readsStandardInput(unconditional, scope: unconditional, imports: package.imports(of: file), package,
                                      followingCalls: false)
        }
        /// Whether `e` reads standard input, and the locals it reads through (call receivers and
        /// arguments), to follow when it does not.
        func reads(_ e: Expr, through names: inout Set<String>) -> Bool {
            var found = false
            var followed = Set<String>()
            Walk.expr(e) { x in
                guard !found, case .call(let c) = x else { return !found }
                if case .selector(let base, let method) = c.fun.unparenthesized {
                    // Asking about the file, not reading it.
                    if ["Fd", "Stat", "Name", "Close", "SetReadDeadline"].contains(method.name) { return false }
                    if method.name == "InOrStdin" && c.args.isEmpty { found = true }
                    if isStandardInput(base) { found = true }
                    if let name = base.unparenthesized.identName { followed.insert(name) }
                }
                if case .selector(.ident(let x), let selected) = c.fun.unparenthesized, imports[x.name] == "fmt",
                   selected.name.hasPrefix("Scan") { found = true }
                if !found, callsReader(c) { found = true }
                for argument in c.args {
                    if isStandardInput(argument) { found = true }
                    if let name = argument.unparenthesized.identName { followed.insert(name) }
                }
                return !found
            }
            names.formUnion(followed)
            return found
        }
        var seen = Set<String>()
        var frontier = Set<String>()
        for s in body {
            var direct = false
            Walk.stmt(s) { x in
                if !direct, case .call = x, reads(x, through: &frontier) { direct = true }
                return !direct
            }
            if direct { return true }
        }
        for _ in 0..<3 where !frontier.isEmpty {
            seen.formUnion(frontier)
            var next = Set<String>()
            for name in frontier {
                for value in BodilessServers.Resolver.assignments(to: name, in: scope) {
                    if reads(value, through: &next) { return true }
                    // `in := os.Stdin` itself.
                    if isStandardInput(value) { return true }
                }
            }
            frontier = next.subtracting(seen)
        }
        return false
    }
}
