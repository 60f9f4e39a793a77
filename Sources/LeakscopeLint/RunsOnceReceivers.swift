import LeakscopeGoSource

extension RunsOnce {
    /// What a function declares, read in one walk.
    struct Declarations {
        /// Every name `f` declares: receiver, parameters, results, and `:=`/`var`/`range` names
        /// in its body, function literals included.
        var names: Set<String>
        /// Names of `f` whose every declaration gives them one named type of the package, `T` or
        /// `*T`: the receiver, parameters and named results so typed, `x := &T{…}` or `T{…}`, and
        /// `var x T`. `x.m(…)` on such a name calls `T.m` and no other method named `m` (ziti's
        /// `options.run(ctx)` in a cobra handler runs `QuickstartOpts.run`, not every `run` method
        /// of a large module). A name declared any other way anywhere in the function (from a
        /// call, in a `range`, a type switch, a literal's parameter) is left out: it may hold
        /// another type.
        var receiverTypes: [String: String]
        /// Names that hold one of `groupTypes`, and only that: `var g errgroup.Group`, `g, ctx :=
        /// errgroup.WithContext(ctx)`, `g := &errgroup.Group{}`, `g := new(sync.WaitGroup)`, `wg :=
        /// conc.NewWaitGroup()`. A name also declared any other way, or a parameter, is left out:
        /// its `Go` may be anyone's.
        var groups: Set<String>
    }

    static func declarations(_ f: FuncDecl, body: Block, imports: [String: String]) -> Declarations {
        var names = Set<String>()
        var types: [String: String] = [:]
        var unknown = Set<String>()
        var groups = Set<String>()
        var notGroups = Set<String>()
        func note(_ name: String, _ type: String?, group: Bool = false) {
            names.insert(name)
            if group { groups.insert(name) } else { notGroups.insert(name) }
            guard name != "_" else { return }
            guard let type else { unknown.insert(name); return }
            if let known = types[name], known != type { unknown.insert(name) }
            types[name] = type
        }
        func isGroup(_ type: Expr) -> Bool {
            var t = type.unparenthesized
            if case .star(let inner, _) = t { t = inner.unparenthesized }
            guard case .selector(.ident(let package), let name) = t, let path = imports[package.name] else { return false }
            return groupTypes.contains("\(path).\(name.name)")
        }
        /// Whether a value makes a group: `T{}`, `&T{}`, `new(T)`, `errgroup.WithContext(…)`, `conc.NewWaitGroup()`.
        func makesGroup(_ value: Expr) -> Bool {
            var v = value.unparenthesized
            if case .unary(.and, let inner, _) = v { v = inner.unparenthesized }
            if case .compositeLit(let type?, _, _, _) = v { return isGroup(type) }
            guard case .call(let c) = v else { return false }
            if c.fun.identName == "new", c.args.count == 1 { return isGroup(c.args[0]) }
            guard case .selector(.ident(let package), let name) = c.fun.unparenthesized, let path = imports[package.name] else { return false }
            return (path == "golang.org/x/sync/errgroup" && name.name == "WithContext")
                || (path == "github.com/sourcegraph/conc" && name.name == "NewWaitGroup")
        }
        /// `T` or `*T` with `T` a plain identifier (no package, no type arguments).
        func named(_ type: Expr) -> String? {
            var t = type.unparenthesized
            if case .star(let inner, _) = t { t = inner.unparenthesized }
            return t.identName
        }
        /// The type a value written `T{…}` or `&T{…}` has.
        func made(_ value: Expr) -> String? {
            var v = value.unparenthesized
            if case .unary(.and, let inner, _) = v { v = inner.unparenthesized }
            guard case .compositeLit(let type?, _, _, _) = v else { return nil }
            return type.identName
        }
        let fields = (f.receiver.map { [$0] } ?? []) + f.type.params + f.type.results
        for field in fields {
            for name in field.names { note(name.name, field.isVariadic ? nil : named(field.type)) }
        }
        for s in body.statements {
            Walk.statements(s, { st in
                switch st {
                case .assign(let lhs, .define, let rhs, _):
                    for (i, x) in lhs.enumerated() {
                        guard let name = x.identName else { continue }
                        // `g, ctx := errgroup.WithContext(ctx)`: the first of two results.
                        let group = lhs.count == rhs.count ? makesGroup(rhs[i]) : (rhs.count == 1 && i == 0 && makesGroup(rhs[0]))
                        note(name, lhs.count == rhs.count ? made(rhs[i]) : nil, group: group)
                    }
                case .rangeStmt(let key, let value, .define, _, _, _):
                    for x in [key, value] { if let name = x?.identName { note(name, nil) } }
                case .decl(let g):
                    for case .value(let declared, let type, let values) in g.specs {
                        for (i, name) in declared.enumerated() {
                            let group = type.map(isGroup) ?? (i < values.count && makesGroup(values[i]))
                            if let type { note(name.name, named(type), group: group) } else { note(name.name, i < values.count ? made(values[i]) : nil, group: group) }
                        }
                    }
                default:
                    break
                }
                return true
            }, { e in
                if case .funcLit(let type, _) = e {
                    for field in type.params + type.results { for name in field.names { note(name.name, nil) } }
                }
                return true
            })
        }
        return Declarations(names: names, receiverTypes: types.filter { !unknown.contains($0.key) },
                            groups: groups.subtracting(notGroups))
    }

    /// Group types whose `Go` runs the function it is handed exactly once, by import path and name.
    static let groupTypes: Set<String> = ["golang.org/x/sync/errgroup.Group", "sync.WaitGroup", "github.com/sourcegraph/conc.WaitGroup"]
}
