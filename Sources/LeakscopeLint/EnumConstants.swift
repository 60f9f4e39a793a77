import LeakscopeGoSource

/// The package's enumerations: the constants of each type it declares over an integer or
/// string type (`type State int; const ( StateLive State = iota; StateMissingFromTopo )`). A
/// `switch` whose cases name every constant of one such type, with no `default`, takes one of
/// its cases: there is no path past it, as Go's `exhaustive` linters take an enum. multigres's
/// `applyDelete` unlocks in both cases of `switch e.state` and returns after it (session 38's
/// clean pass). A value converted from a number (`State(7)`) would fall through; like the
/// `exhaustive` linters, the rule takes an enum's variables to hold its constants.
struct EnumConstants {
    /// The constants of each enumeration type, by type name.
    var byType: [String: Set<String>] = [:]
    /// The enumeration type of each such constant.
    var typeOf: [String: String] = [:]

    /// The underlying types an enumeration may have.
    static let basicTypes: Set<String> = ["int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64",
                                          "uintptr", "byte", "rune", "string"]

    init() {}

    init(_ files: [SourceFile]) {
        var enumTypes = Set<String>()
        var constGroups: [GenDecl] = []
        for file in files {
            for case .gen(let g) in file.syntax?.decls ?? [] {
                if g.keyword == .kwConst { constGroups.append(g) }
                for case .type(let name, let typeParams, false, let type) in g.specs
                    where typeParams.isEmpty && type.identName.map(Self.basicTypes.contains) == true {
                    enumTypes.insert(name.name)
                }
            }
        }
        for group in constGroups {
            // A spec without type or values repeats the one before it (`iota` lists).
            var current: String?
            for case .value(let names, let type, let values) in group.specs {
                if let type {
                    current = type.identName
                } else if !values.isEmpty {
                    current = nil
                }
                guard let current, enumTypes.contains(current) else { continue }
                for name in names where name.name != "_" {
                    byType[current, default: []].insert(name.name)
                    typeOf[name.name] = current
                }
            }
        }
    }

    /// Whether a `switch` with these clauses takes one of them whatever its tag holds: no
    /// `default`, every case value a constant of one enumeration type, and every constant of
    /// that type (two at least) named.
    func isExhaustive(_ clauses: [CaseClause]) -> Bool {
        var type: String?
        var named = Set<String>()
        for clause in clauses {
            if clause.isDefault { return false }
            for value in clause.values {
                guard let name = value.unparenthesized.identName, let t = typeOf[name], type == nil || type == t else { return false }
                type = t
                named.insert(name)
            }
        }
        guard let type, let all = byType[type], all.count >= 2 else { return false }
        return named == all
    }
}
