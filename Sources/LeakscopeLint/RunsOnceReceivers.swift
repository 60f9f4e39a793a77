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
    }

    static func declarations(_ f: FuncDecl, body: Block) -> Declarations {
        var names = Set<String>()
        var types: [String: String] = [:]
        var unknown = Set<String>()
        func note(_ name: String, _ type: String?) {
            names.insert(name)
            guard name != "_" else { return }
            guard let type else { unknown.insert(name); return }
            if let known = types[name], known != type { unknown.insert(name) }
            types[name] = type
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
                        note(name, lhs.count == rhs.count ? made(rhs[i]) : nil)
                    }
                case .rangeStmt(let key, let value, .define, _, _, _):
                    for x in [key, value] { if let name = x?.identName { note(name, nil) } }
                case .decl(let g):
                    for case .value(let declared, let type, let values) in g.specs {
                        for (i, name) in declared.enumerated() {
                            if let type { note(name.name, named(type)) } else { note(name.name, i < values.count ? made(values[i]) : nil) }
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
        return Declarations(names: names, receiverTypes: types.filter { !unknown.contains($0.key) })
    }

    /// Group types whose `Go` runs the function it is handed exactly once, by import path and name.
    static let groupTypes: Set<String> = ["golang.org/x/sync/errgroup.Group", "sync.WaitGroup", "github.com/sourcegraph/conc.WaitGroup"]

    /// Names of `f` (function literals included) that hold one of `groupTypes`, and only that:
    /// `var g errgroup.Group`, `g, ctx := errgroup.WithContext(ctx)`, `g := &errgroup.Group{}`,
    /// `g := new(sync.WaitGroup)`, `wg := conc.NewWaitGroup()`. A name also declared any other
    /// way, or a parameter, is left out: its `Go` may be anyone's.
    static func groups(_ f: FuncDecl, body: Block, imports: [String: String]) -> Set<String> {
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
        var found = Set<String>()
        var other = Set<String>()
        let fields = (f.receiver.map { [$0] } ?? []) + f.type.params + f.type.results
        for field in fields { for name in field.names { other.insert(name.name) } }
        for s in body.statements {
            Walk.statements(s, { st in
                switch st {
                case .assign(let lhs, .define, let rhs, _):
                    for (i, x) in lhs.enumerated() {
                        guard let name = x.identName else { continue }
                        // `g, ctx := errgroup.WithContext(ctx)`: the first of two results.
                        let made = lhs.count == rhs.count ? makesGroup(rhs[i]) : (rhs.count == 1 && i == 0 && makesGroup(rhs[0]))
                        if made { found.insert(name) } else { other.insert(name) }
                    }
                case .rangeStmt(let key, let value, .define, _, _, _):
                    for x in [key, value] { if let name = x?.identName { other.insert(name) } }
                case .decl(let g):
                    for case .value(let declared, let type, let values) in g.specs {
                        for (i, name) in declared.enumerated() {
                            let made = type.map(isGroup) ?? (i < values.count && makesGroup(values[i]))
                            if made { found.insert(name.name) } else { other.insert(name.name) }
                        }
                    }
                default:
                    break
                }
                return true
            }, { e in
                if case .funcLit(let type, _) = e {
                    for field in type.params + type.results { for name in field.names { other.insert(name.name) } }
                }
                return true
            })
        }
        return found.subtracting(other)
    }
}
