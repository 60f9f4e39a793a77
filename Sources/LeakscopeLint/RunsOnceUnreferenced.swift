import LeakscopeGoSource

extension RunsOnce {
    /// The opening of the note of a finding that is `low` because nothing calls its function.
    static let unreferencedNote = "nothing calls this function or uses it as a value, in the linted code, its tests or files other build tags select: no path reaches the leak"

    /// Which of `candidates` (nodes of functions holding a finding) nothing names: no call and no
    /// use as a value in the code read (`sites`, `passes`, resolved by name as `solve` resolves
    /// them, which over-approximates who calls what), no mention as an identifier in the other
    /// `.go` files under the linted modules' roots (test files, files of other build tags, nested
    /// modules), and nothing outside the linted code able to call it: closed to the world
    /// (`closedWorld`) and `callableOnlyBySeenCode` (an exported method may be called through an
    /// interface of code not linted; an exported function of `main` looked up by a plugin's
    /// host). vflow's `disc.Run`, in a package nothing imports (docs/LINT.md, session 35).
    func unreferenced(among candidates: Set<Int>) -> Set<Int> {
        let closed = closedWorld()
        var unnamed = candidates.filter { i in
            let node = nodes[i]
            return !node.isRoot && !node.inTest && node.callableOnlyBySeenCode && closed[i]
        }
        guard !unnamed.isEmpty else { return [] }
        for site in sites { for target in resolve(site.target) { unnamed.remove(target) } }
        for pass in passes { for value in resolve(pass.value) { unnamed.remove(value) } }
        guard !unnamed.isEmpty else { return [] }
        func query(_ i: Int) -> IdentifierMentions.Query {
            let node = nodes[i], package = packageDirectories[node.package]
            let foreign = !node.isMethod && node.name.first?.isUppercase == true
            return IdentifierMentions.Query(name: node.name, directory: package.directory, importPath: foreign ? package.path : nil)
        }
        let named = IdentifierMentions.find(Set(unnamed.map(query)), under: moduleRoots.sorted(), skipping: readFiles)
        return unnamed.filter { !named.contains(query($0)) }
    }
}
