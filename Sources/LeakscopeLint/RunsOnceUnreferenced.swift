import LeakscopeGoSource

extension RunsOnce {
    /// The opening of the note of a finding that is `low` because nothing calls its function.
    static let unreferencedNote = "nothing calls this function or uses it as a value, in the linted code, its tests or files other build tags select: no path reaches the leak"

    /// Which of `candidates` (nodes of functions holding a finding) no running code reaches: a
    /// function nothing outside the linted code can call (`closedWorld`, and
    /// `callableOnlyBySeenCode`: an exported method may be called through an interface of code
    /// not linted, an exported function of `main` looked up by a plugin's host), whose every call
    /// in the call graph (`sites`, resolved by name as `solve` resolves them) is made by a
    /// function in the same state, never used as a value, handed to a parameter (`passes`) or
    /// called by a package-level initialiser, and which no `.go` or assembly file under the
    /// modules' roots names (`IdentifierMentions`, read by the run or not: a call the graph
    /// missed, a test, another platform's file), but in the bodies of those same functions.
    /// vflow's `disc.Run`, in a package nothing imports; troubleshoot's `ExecuteWithTimeout`,
    /// called only by `Execute`, which nothing calls (docs/LINT.md, session 35).
    func unreferenced(among candidates: Set<Int>) -> Set<Int> {
        guard !candidates.isEmpty else { return [] }
        let closed = closedWorld()
        var unreached = nodes.indices.map { i in
            let node = nodes[i]
            return !node.isRoot && !node.inTest && !node.calledAtInit && closed[i] && node.callableOnlyBySeenCode
        }
        guard candidates.contains(where: { unreached[$0] }) else { return [] }
        var callees = [[Int]](repeating: [], count: nodes.count)
        for site in sites {
            for target in resolve(site.target) where unreached[target] {
                if !site.escape, let caller = site.caller { callees[caller].append(target) } else { unreached[target] = false }
            }
        }
        // A function value handed to a parameter may be kept and called by anything.
        for pass in passes { for value in resolve(pass.value) { unreached[value] = false } }
        // What a reached function calls is reached.
        func spread() {
            var work = nodes.indices.filter { !unreached[$0] && !callees[$0].isEmpty }
            while let caller = work.popLast() {
                for callee in callees[caller] where unreached[callee] {
                    unreached[callee] = false
                    work.append(callee)
                }
            }
        }
        spread()
        // The call graph may miss a call; every file's tokens have the last word, but for what
        // the bodies of the functions asked about say. A function found named there is reached,
        // and so is what its body names: asked again until nothing changes.
        var callers = [[Int]](repeating: [], count: nodes.count)
        for (caller, targets) in callees.enumerated() { for target in targets { callers[target].append(caller) } }
        let roots = Set(moduleRoots.compactMap(IdentifierMentions.canonicalPath)).sorted()
        for _ in 0..<LintThresholds.mentionRounds {
            // The candidates still unreached and every unreached function that calls one of
            // them, at any remove: the only names that matter, and the only bodies ignored.
            var maybe = candidates.filter { unreached[$0] }
            guard !maybe.isEmpty else { return [] }
            var work = Array(maybe)
            while let callee = work.popLast() {
                for caller in callers[callee] where unreached[caller] && maybe.insert(caller).inserted { work.append(caller) }
            }
            var ignoring: [String: [Range<Int32>]] = [:]
            for i in maybe where nodes[i].file >= 0 {
                ignoring[IdentifierMentions.canonicalFilePath(nodeFiles[Int(nodes[i].file)]), default: []].append(nodes[i].body)
            }
            let named = IdentifierMentions.find(Set(maybe.map(query)), under: roots, ignoring: ignoring)
            if named.isEmpty { return candidates.filter { unreached[$0] } }
            for i in maybe where named.contains(query(i)) { unreached[i] = false }
            spread()
        }
        // Still changing after the last round: what is left might be reached from what changed.
        return []
    }

    /// What may name node `i`, and where (`IdentifierMentions`).
    func query(_ i: Int) -> IdentifierMentions.Query {
        let node = nodes[i], package = packageDirectories[node.package]
        let scope: IdentifierMentions.Scope
        if node.name.first?.isUppercase != true {
            scope = .directory
        } else if node.isMethod {
            // Another package may call an exported method on a value it got anywhere.
            scope = .anywhere
        } else {
            scope = .importers(package.path)
        }
        return IdentifierMentions.Query(name: node.name, directory: package.directory, scope: scope)
    }
}
