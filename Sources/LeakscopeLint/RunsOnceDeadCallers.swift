extension RunsOnce {
    /// The functions that may run `targets`, at any remove: the callers of each (`sites`, resolved
    /// by name as `solve` resolves them), and for a function value handed to a parameter (`passes`)
    /// the function handing it on and the one it is handed to. Package-level initialisers and the
    /// handler literals' node are left out: they are never dead.
    func callersAtAnyRemove(of targets: Set<Int>) -> Set<Int> {
        var callers = [[Int]](repeating: [], count: nodes.count)
        for site in sites where !site.escape {
            guard let caller = site.caller, caller != Self.handlers else { continue }
            for target in resolve(site.target) { callers[target].append(caller) }
        }
        for pass in passes {
            let from = resolve(pass.to) + (pass.caller.map { [$0] } ?? [])
            for value in resolve(pass.value) { callers[value] += from.filter { $0 != Self.handlers } }
        }
        var found = Set<Int>()
        var work = Array(targets)
        while let callee = work.popLast() {
            for caller in callers[callee] where found.insert(caller).inserted { work.append(caller) }
        }
        return found.subtracting(targets)
    }

    /// `solve`, with the functions nothing reaches taken as running no time: such a caller
    /// neither calls a function more than once nor keeps it out of the set for want of running
    /// once itself. reclient's `startProxy` is called by `StartProxyWithOutput`, which its
    /// bootstrap command calls once, and by `StartProxy`, which nothing in the module names
    /// (session 39). The dead callers are asked of `unreferenced`, which reads every file of the
    /// modules for their names; only the callers, at any remove, of `pending` nodes not already
    /// in the set are asked about. A function every caller of which is dead stays out: tests may
    /// call it (dnssd's `lookupInstance`, called by its tests and by an exported `LookupInstance`
    /// nothing in the module calls), and code only tests run is not taken as running once.
    func solveWithoutDeadCallers(pending: Set<Int>) -> [Bool] {
        let first = solve()
        let outside = pending.filter { !first[$0] }
        guard !outside.isEmpty else { return first }
        // Only callers closed to the world by themselves (unexported, or in `main`, `internal/` or
        // `cmd/`): an exported function of a library that merely ships a program is its API.
        let dead = unreferenced(among: callersAtAnyRemove(of: outside).filter { nodes[$0].closedWorld })
        guard !dead.isEmpty else { return first }
        // A dead function is not said to run once: a finding there is `unreferenced`'s.
        var answer = solve(deadCode: dead)
        for i in dead { answer[i] = first[i] }
        return answer
    }
}
