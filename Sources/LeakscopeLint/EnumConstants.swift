import LeakscopeGoSource

/// The package's enumerations: the constants of each type it declares over an integer or
/// string type (`type State int; const ( StateLive State = iota; StateMissingFromTopo )`). A
/// `switch` on a value of such a type whose cases name every constant of it, with no `default`,
/// takes one of its cases: there is no path past it, as Go's `exhaustive` linters take an enum.
/// multigres's `applyDelete` unlocks in both cases of `switch e.state` and returns after it
/// (session 38's clean pass). Like those linters the rule takes an enum's variables to hold its
/// constants; it leaves out the types for which the package itself says otherwise (session
/// 38's code review): no constant is the zero value a fresh variable holds (`iota + 1`), a
/// value is converted to the type outside constant declarations (`Mode(os.Args[1])`), a
/// constant is built with `<<` or `|` (flags, combined at will), or a field of it is counted
/// with `++`, `--` or `+=`.
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
        var bodies: [Block] = []
        // The types the package's struct fields are declared with, by field name.
        var fieldTypes: [String: Set<String>] = [:]
        for file in files {
            for decl in file.syntax?.decls ?? [] {
                switch decl {
                case .function(let f): if let body = f.body { bodies.append(body) }
                case .gen(let g):
                    if g.keyword == .kwConst { constGroups.append(g) }
                    for case .type(let name, let typeParams, false, let type) in g.specs {
                        if typeParams.isEmpty && type.identName.map(Self.basicTypes.contains) == true { enumTypes.insert(name.name) }
                        if case .structType(let fields, _) = type {
                            for field in fields { for n in field.names { if let t = field.type.identName { fieldTypes[n.name, default: []].insert(t) } } }
                        }
                    }
                }
            }
        }
        // The enumeration types a field counted in place (`e.state++`, `e.state += 2`) may have.
        func counted(_ e: Expr) -> Set<String> {
            guard case .selector(_, let field) = e.unparenthesized else { return [] }
            return fieldTypes[field.name] ?? []
        }
        var zeroValued = Set<String>()
        var open = Set<String>()
        for group in constGroups {
            // A spec without type or values repeats the one before it (`iota` lists).
            var current: String?
            var expression: Expr?
            for (index, spec) in group.specs.enumerated() {
                guard case .value(let names, let type, let values) = spec else { continue }
                if let type {
                    current = type.identName
                    expression = values.first
                } else if let value = values.first {
                    // `const Unknown = State(9)`: a constant of the type all the same.
                    if case .call(let c) = value.unparenthesized, let t = c.fun.identName, enumTypes.contains(t) { current = t } else { current = nil }
                    expression = value
                }
                guard let current, enumTypes.contains(current) else { continue }
                if let expression, Self.combines(expression) { open.insert(current) }
                if let expression, Self.isZero(expression, index: index) { zeroValued.insert(current) }
                for name in names where name.name != "_" {
                    byType[current, default: []].insert(name.name)
                    typeOf[name.name] = current
                }
            }
        }
        // Values made outside the constants, or counted past them.
        for body in bodies {
            for s in body.statements {
                Walk.statements(s, intoFuncLits: true, { st in
                    if case .assign(let lhs, let op, _, _) = st, op != .assign, op != .define {
                        for l in lhs { open.formUnion(counted(l)) }
                    }
                    if case .incDec(let x, _) = st { open.formUnion(counted(x)) }
                    return true
                }, { e in
                    if case .call(let c) = e, let t = c.fun.identName, enumTypes.contains(t) { open.insert(t) }
                    return true
                })
            }
        }
        for type in open { for name in byType[type] ?? [] { typeOf[name] = nil }; byType[type] = nil }
        for type in Array(byType.keys) where !zeroValued.contains(type) {
            for name in byType[type] ?? [] { typeOf[name] = nil }
            byType[type] = nil
        }
    }

    /// Whether a constant's expression builds flags: `<<` or `|` anywhere in it.
    static func combines(_ e: Expr) -> Bool {
        Walk.contains(e, intoFuncLits: false) { x in
            if case .binary(let op, _, _, _) = x { return op == .shl || op == .or }
            return false
        }
    }

    /// Whether the constant at `index` of its group, given `e` (its own or repeated), is zero:
    /// a literal `0` or `""`, or `iota` alone first in the group.
    static func isZero(_ e: Expr, index: Int) -> Bool {
        switch e.unparenthesized {
        case .basicLit(_, let text, _): return text == "0" || text == "\"\"" || text == "``"
        case .ident(let id): return id.name == "iota" && index == 0
        default: return false
        }
    }

    /// Whether a `.go` file of the package's directory that the run did not load (another
    /// platform's; not a test, which adds nothing to the program) names the type `type`: it may
    /// declare more constants of it (`//go:build windows` `const Paused State = 2`). Unknown
    /// types count as named. Read once per type (`PackageFacts.enumsElsewhere`).
    static func declaredElsewhere(tag type: Expr?, _ facts: PackageFacts) -> Bool {
        guard let name = type?.identName, let first = facts.files.first?.path else { return true }
        if let known = facts.enumsElsewhere.byKey[name] { return known }
        let directory = first.lastIndex(of: "/").map { String(first[..<$0]) } ?? "."
        let loaded = Set(facts.files.map { $0.path.split(separator: "/").last.map(String.init) ?? $0.path })
        let named = IdentifierMentions.named(name, inGoFilesOf: directory, excluding: loaded, tests: false)
        facts.enumsElsewhere.byKey[name] = named
        return named
    }

    /// Whether a `switch` on `tag` of type `tagType` (its declared type, when known) with these
    /// clauses takes one of them whatever the tag holds: no `default`, the tag of the type, every
    /// case value a constant of that enumeration type that `shadowed` does not say the function
    /// declares again, and every constant of the type (two at least) named.
    func isExhaustive(tagType: Expr?, _ clauses: [CaseClause], shadowed: (String) -> Bool) -> Bool {
        guard let type = tagType?.identName, let all = byType[type], all.count >= 2 else { return false }
        var named = Set<String>()
        for clause in clauses {
            if clause.isDefault { return false }
            for value in clause.values {
                guard let name = value.unparenthesized.identName, typeOf[name] == type, !shadowed(name) else { return false }
                named.insert(name)
            }
        }
        return named == all
    }
}
