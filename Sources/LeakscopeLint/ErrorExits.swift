import LeakscopeGoSource

/// Errors that end the process. A function whose every leaking path returns a non-nil error, and
/// whose every caller exits on that error (`log.Fatal`, `os.Exit`) or hands it up to a caller
/// that does, or to `main` or a command's handler, leaks only as the process ends: radondb's
/// `requestNFSBackup` strands its `cmd.Wait` sender when copying the backup fails, and the
/// `request_a_backup` command then calls `os.Exit(1)` (docs/LINT.md, session 32).
/// `RunsOnce.errorEndsProcess` follows the callers; this file reads the two ends: how a call's
/// error is handled where it is made (`handling`), and whether a `return` returns an error
/// that cannot be nil (`isError`).
enum ErrorExits {
    /// The note of a finding every leaking path of which ends the process.
    static let note = "every path that leaves it behind returns an error, and every caller exits on that error or hands it up to one that does (main, a command's handler): it goes with the process"

    /// What the code around a call does with a non-nil error from it.
    enum Handling: Hashable {
        /// Exits the process (`log.Fatal(err)`, `os.Exit(1)`).
        case exits
        /// Returns it, or an error made from it, to the caller.
        case returnsError
        /// Returns without it (a bare `return`): ends the process only where a return does.
        case returns
    }

    /// Methods and functions that end the process, whatever value they are given: the standard
    /// `log.Fatal…` and `os.Exit`, and loggers' methods of those names (logrus, zap, klog).
    static let exitNames: Set<String> = ["Fatal", "Fatalf", "Fatalln", "Fatalw", "Exit", "Exitf"]

    /// Receivers whose `Fatal…` ends a test, not the process (`t.Fatal`).
    static let testReceivers: Set<String> = ["t", "b", "tb", "f"]

    /// How each call in `body` whose error is checked right where it is made handles it, by
    /// `Call.fun` position: `if err := f(); err != nil {…}`, `err = f()` followed by that `if`
    /// or by `return …, err`, and `return f()`. Function literals are read too (the caller is
    /// the declared function); a `returns…` there returns from the literal, which `RunsOnce`
    /// knows. A branch that may end some other way first (`continue`, another `return`, a
    /// nested `if`'s early return) handles nothing.
    static func handling(_ body: [Stmt], imports: [String: String]) -> [Int32: Handling] {
        var out: [Int32: Handling] = [:]
        func list(_ statements: [Stmt]) {
            for (index, s) in statements.enumerated() {
                switch s {
                case .ifStmt(let i):
                    if let initial = i.initial, let (call, name) = checkedCall(initial),
                       let h = branchHandling(i, name, imports) {
                        out[call.fun.pos] = h
                    }
                case .returnStmt(let results, _):
                    if let last = results.last, case .call(let c) = last.unparenthesized { out[c.fun.pos] = .returnsError }
                default:
                    guard let (call, name) = checkedCall(s), index + 1 < statements.count else { break }
                    switch statements[index + 1] {
                    case .ifStmt(let i) where i.initial == nil:
                        if let h = branchHandling(i, name, imports) { out[call.fun.pos] = h }
                    case .returnStmt(let results, _):
                        if let last = results.last, mentions(last, name) { out[call.fun.pos] = .returnsError }
                    default: break
                    }
                }
            }
        }
        for s in body {
            Walk.statements(s, intoFuncLits: true, { inner in
                switch inner {
                case .block(let b): list(b.statements)
                // An `else` block is visited as a `.block` of its own.
                case .ifStmt(let i): list(i.body.statements)
                case .switchStmt(_, _, let clauses, _), .typeSwitch(_, _, let clauses, _): for c in clauses { list(c.body) }
                case .select(let clauses, _): for c in clauses { list(c.body) }
                case .forStmt(_, _, _, let b, _), .rangeStmt(_, _, _, _, let b, _): list(b.statements)
                default: break
                }
                return true
            }, { e in
                if case .funcLit(_, let b) = e { list(b.statements) }
                return true
            })
        }
        list(body)
        return out
    }

    /// `…, err := f(…)`, `…, err = f(…)` or `var …, err = f(…)`: the call and the last name.
    static func checkedCall(_ s: Stmt) -> (Call, String)? {
        var lhs: [String] = []
        var rhs: [Expr] = []
        switch s {
        case .assign(let l, let op, let r, _) where op == .define || op == .assign:
            lhs = l.map { $0.identName ?? "" }
            rhs = r
        case .decl(let d):
            guard d.specs.count == 1, case .value(let names, _, let values) = d.specs[0] else { return nil }
            lhs = names.map(\.name)
            rhs = values
        default:
            return nil
        }
        guard rhs.count == 1, case .call(let c) = rhs[0].unparenthesized, let name = lhs.last, !name.isEmpty, name != "_" else { return nil }
        return (c, name)
    }

    /// What `if name != nil { … }` does with the error: exits, returns it, or returns. Nil when
    /// the `if` tests anything else, has an `else`, or its branch may end another way first.
    static func branchHandling(_ i: IfStmt, _ name: String, _ imports: [String: String]) -> Handling? {
        guard i.elseBranch == nil, isNotNil(i.condition, name) else { return nil }
        let statements = i.body.statements
        if let exit = statements.firstIndex(where: { isExit($0, imports) }),
           !statements[..<exit].contains(where: leaves) {
            return .exits
        }
        guard case .returnStmt(let results, _)? = statements.last, !statements.dropLast().contains(where: leaves) else { return nil }
        if results.isEmpty { return .returns }
        return results.last.map { mentions($0, name) || isError($0, Context(imports: imports)) } == true ? .returnsError : nil
    }

    /// `name != nil` or `nil != name`.
    static func isNotNil(_ e: Expr, _ name: String) -> Bool {
        guard case .binary(.neq, let a, let b, _) = e.unparenthesized else { return false }
        return (a.identName == name && b.identName == "nil") || (b.identName == name && a.identName == "nil")
    }

    /// A statement that ends the process: `os.Exit(…)`, `log.Fatal…(…)`, a logger's `Fatal…`.
    static func isExit(_ s: Stmt, _ imports: [String: String]) -> Bool {
        guard case .expr(let x) = s, case .call(let c) = x.unparenthesized,
              case .selector(let base, let m) = c.fun.unparenthesized, exitNames.contains(m.name) else { return false }
        if case .ident(let b) = base.unparenthesized {
            if let path = imports[b.name] { return path == "os" ? m.name == "Exit" : path != "testing" }
            return !testReceivers.contains(b.name)
        }
        return true
    }

    /// Whether `s` may leave its list early: a `return`, `break`, `continue` or `goto` in it
    /// (function literals not read).
    static func leaves(_ s: Stmt) -> Bool { UnlockFlags.leavesOr(s) { _ in false } }

    static func mentions(_ e: Expr, _ name: String) -> Bool {
        Walk.contains(e, intoFuncLits: false) { $0.identName == name }
    }

    /// What is known non-nil where a `return` stands: names tested `!= nil` around it, and
    /// contexts whose `Done()` the enclosing select case received from.
    struct Context {
        var nonNil = Set<String>()
        var done = Set<String>()
        /// The file's imports: `errors.New` is a constructor, `list.New` is not.
        var imports: [String: String] = [:]
    }

    /// Constructors whose result is never nil (`fmt.Errorf`, `errors.New`, status's `Errorf`).
    static let makers: Set<String> = ["Errorf", "Newf"]
    /// Wrappers whose result is nil exactly when their first argument is (pkg/errors, juju).
    static let wrappers: Set<String> = ["Wrap", "Wrapf", "WithMessage", "WithMessagef", "WithStack", "Annotate", "Annotatef", "Trace"]

    /// Whether `e` is an error that cannot be nil: a constructor's result, a wrapped non-nil
    /// error, a name tested `!= nil`, `ctx.Err()` after `ctx.Done()`, `&T{…}` or `T{…}`.
    static func isError(_ e: Expr, _ context: Context) -> Bool {
        switch e.unparenthesized {
        case .ident(let id): return context.nonNil.contains(id.name)
        case .unary(.and, let x, _):
            if case .compositeLit = x.unparenthesized { return true }
            return false
        case .compositeLit(let type?, _, _, _):
            if case .ident = type { return true }
            if case .selector = type { return true }
            return false
        case .call(let c):
            guard case .selector(let base, let m) = c.fun.unparenthesized else { return false }
            if makers.contains(m.name) { return true }
            if m.name == "New", let x = base.unparenthesized.identName,
               context.imports[x]?.split(separator: "/").last?.contains("err") == true { return true }
            if wrappers.contains(m.name), let first = c.args.first { return isError(first, context) }
            if m.name == "Err", c.args.isEmpty, let x = base.unparenthesized.identName { return context.done.contains(x) }
            return false
        default:
            return false
        }
    }

    /// Whether the `return`s after `start` (a `go` statement) that no receive from `names` (the
    /// channel and its siblings, of which each sender sends on one: `AbandonedSend`) comes
    /// before return an error that cannot be nil, there being at least one, in a function whose
    /// last result is an `error`. A receive comes before a `return` when it is in a statement
    /// earlier in the same list or an enclosing one, in the enclosing `if`'s header, is the
    /// enclosing select case's or the `return`'s own (`return <-done`), or every case of an
    /// earlier select receives or returns; one inside a loop or a branch does not count.
    static func strandingReturnsAreErrors(_ body: [Stmt], after start: Int32, receiving names: Set<String>,
                                          results: [Field], imports: [String: String]) -> Bool {
        guard returnsError(results) else { return false }
        var count = 0
        var allErrors = true
        forEachReturn(body, receiving: names, imports: imports) { s, values, received, context in
            guard s.pos > start, !received, !names.contains(where: { AbandonedSend.receivesFrom(s, $0) }) else { return }
            count += 1
            if !(values.last.map { isError($0, context) } ?? false) { allErrors = false }
        }
        return allErrors && count > 0
    }

    /// Whether the `return`s at `positions` (at least one) all return an error that cannot be
    /// nil, in a function whose last result is an `error`.
    static func returnErrors(_ body: [Stmt], at positions: [Int32], results: [Field], imports: [String: String]) -> Bool {
        guard returnsError(results), !positions.isEmpty else { return false }
        var errors = Set<Int32>()
        forEachReturn(body, receiving: [], imports: imports) { s, values, _, context in
            if values.last.map({ isError($0, context) }) == true { errors.insert(s.pos) }
        }
        return positions.allSatisfy(errors.contains)
    }

    static func returnsError(_ results: [Field]) -> Bool {
        if case .ident(let last)? = results.last?.type.unparenthesized { return last.name == "error" }
        return false
    }

    /// Calls `visit` with each `return` of `body` (function literals not read), its values,
    /// whether a receive from one of `names` comes before it (see `strandingReturnsAreErrors`),
    /// and what is known non-nil there.
    static func forEachReturn(_ body: [Stmt], receiving names: Set<String>, imports: [String: String],
                              _ visit: (Stmt, [Expr], Bool, Context) -> Void) {
        func receives(_ s: Stmt) -> Bool { names.contains { AbandonedSend.receivesFrom(s, $0) } }
        func isReceive(_ comm: Stmt?) -> Bool { names.contains { AbandonedSend.isReceive(comm, $0) } }
        func receivesInHeader(_ i: IfStmt) -> Bool {
            i.initial.map(receives) == true
                || Walk.contains(i.condition, intoFuncLits: false) { e in
                    if case .unary(.arrow, let x, _) = e, let n = x.identName { return names.contains(n) }
                    return false
                }
        }
        func ranges(_ s: Stmt) -> Bool { names.contains { AbandonedSend.isRangeOver(s, $0) } }
        func list(_ statements: [Stmt], received: Bool, _ context: Context) {
            var received = received
            for s in statements {
                one(s, received: received, context)
                if received { continue }
                switch s {
                case .expr, .assign, .decl: received = receives(s)
                case .ifStmt(let i): received = receivesInHeader(i)
                case .rangeStmt: received = ranges(s)
                case .select(let clauses, _):
                    // Past the select only through a case that received.
                    received = clauses.allSatisfy { c in
                        if isReceive(c.comm) { return true }
                        if case .returnStmt? = c.body.last { return true }
                        return false
                    }
                default: break
                }
            }
        }
        func one(_ s: Stmt, received: Bool, _ context: Context) {
            switch s {
            case .returnStmt(let values, _): visit(s, values, received, context)
            case .labeled(_, let inner): one(inner, received: received, context)
            case .block(let b): list(b.statements, received: received, context)
            case .ifStmt(let i):
                let inHeader = received || receivesInHeader(i)
                var then = context, otherwise = context
                for tested in testedNames(i.condition, .neq) { then.nonNil.insert(tested) }
                for tested in testedNames(i.condition, .eql) { otherwise.nonNil.insert(tested) }
                list(i.body.statements, received: inHeader, then)
                if let e = i.elseBranch { one(e, received: inHeader, otherwise) }
            case .switchStmt(_, _, let clauses, _), .typeSwitch(_, _, let clauses, _):
                for c in clauses { list(c.body, received: received, context) }
            case .select(let clauses, _):
                for c in clauses {
                    var inner = context
                    if let x = AbandonedSend.receivedOperand(c.comm), case .call(let call) = x.unparenthesized,
                       case .selector(let base, let m) = call.fun.unparenthesized, m.name == "Done", let ctx = base.identName {
                        inner.done.insert(ctx)
                    }
                    list(c.body, received: received || isReceive(c.comm), inner)
                }
            case .forStmt(_, _, _, let b, _):
                list(b.statements, received: received, context)
            case .rangeStmt(_, _, _, _, let b, _):
                list(b.statements, received: received || ranges(s), context)
            default: break
            }
        }
        var context = Context()
        context.imports = imports
        list(body, received: false, context)
    }

    /// The names `e` tests against nil with `op` (`!=` or `==`), alone or in a conjunction
    /// (`err != nil && !done`) for `!=`, a disjunction for `==` (its negation is a conjunction).
    static func testedNames(_ e: Expr, _ op: TokenKind) -> [String] {
        switch e.unparenthesized {
        case .binary(let o, let a, let b, _) where o == op:
            if b.identName == "nil", let n = a.identName { return [n] }
            if a.identName == "nil", let n = b.identName { return [n] }
            return []
        case .binary(.land, let a, let b, _) where op == .neq: return testedNames(a, op) + testedNames(b, op)
        case .binary(.lor, let a, let b, _) where op == .eql: return testedNames(a, op) + testedNames(b, op)
        default: return []
        }
    }
}

extension RunsOnce {
    /// Which nodes' non-nil error ends the process: those whose return does (`ends`, from
    /// `endsProcess`), and closed functions (`closedWorld`) never used as a value, every call
    /// of which exits on the error, returns it from a function whose error ends the process, or
    /// returns at all from one whose return does (`Site.onError`), or is a tail call there. Calls
    /// by method name over-approximate the callers, which only keeps a function out; a cycle
    /// that nothing outside enters stays out (the least answer is taken).
    func errorEndsProcess(ends: [Bool]) -> [Bool] {
        var callers = [[Site]](repeating: [], count: nodes.count)
        var escaped = [Bool](repeating: false, count: nodes.count)
        // A test file's calls count for test files' functions only (`addTestFiles`).
        for (site, inTest) in sites.map({ ($0, false) }) + testSites.map({ ($0, true) }) {
            for target in resolveAll(site.target) where !inTest || nodes[target].inTest {
                if site.escape { escaped[target] = true } else { callers[target].append(site) }
            }
        }
        for (pass, inTest) in passes.map({ ($0, false) }) + testPasses.map({ ($0, true) }) {
            for value in resolveAll(pass.value) where !inTest || nodes[value].inTest { escaped[value] = true }
        }
        let closed = closedWorld()
        // A closed plain function nothing calls, never used as a value, is dead code: its calls
        // never run (radondb's `TestRunRequestBackup`, left in package main). Not a method, which
        // code not linted may call through an interface, nor a test file's (the runner calls them).
        let dead = nodes.indices.map { i in
            closed[i] && !escaped[i] && callers[i].isEmpty && !nodes[i].isRoot && !nodes[i].isMethod && !nodes[i].inTest
        }
        for i in nodes.indices { callers[i].removeAll { $0.caller.map { dead[$0] } ?? false } }
        var answer = ends
        var changed = true
        while changed {
            changed = false
            for i in nodes.indices where !answer[i] && closed[i] && !escaped[i] && !callers[i].isEmpty {
                let all = callers[i].allSatisfy { site in
                    guard let caller = site.caller else { return false }
                    switch site.onError {
                    case .exits?: return true
                    case .returnsError?: return answer[caller]
                    case .returns?: return ends[caller]
                    case nil: return site.tail && !site.many && ends[caller]
                    }
                }
                if all {
                    answer[i] = true
                    changed = true
                }
            }
        }
        return answer
    }
}
