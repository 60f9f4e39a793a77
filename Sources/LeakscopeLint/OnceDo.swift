import LeakscopeGoSource

/// Code that runs once per process because a package-level `sync.Once` guards it: the function
/// literal handed to `once.Do(…)`, where `once` is a package variable of type `sync.Once` that no
/// function assigns, takes the address of or hides with a name of its own, and the goroutines the
/// literal starts (`go func() {…}()`) or the literals it calls on the spot or defers, with no loop,
/// label or `goto` written there.
/// A ticker outliving it, or a sender stranded there, is one per process, like `RunsOnce`'s
/// functions (cadence's client starts its version-metrics reporter under `startVersionMetric.Do`;
/// docs/LINT.md, session 23). A `sync.Once` field guards once per object, not per process, and
/// a literal that is only stored or handed on (a handler registered inside the `Do`) may run any
/// number of times: neither counts.
enum OnceDo {
    static let note = "the code runs once per process (under a package-level sync.Once's Do): one is left behind, not a growing number"

    /// The names of the package's `var name sync.Once` declarations that nothing in the package
    /// assigns (`once = sync.Once{}` would let it run again) or takes the address of, in a function
    /// or a package-level initialiser (`var reset = func() { once = sync.Once{} }`, `var p =
    /// &once`). An exported one of a package others may import is left out: they may reset it.
    static func onceVariables(_ package: PackageFacts) -> Set<String> {
        var names = Set<String>()
        let importable = !RunsOnce.isClosedPath(package.path)
            && !package.files.contains { $0.syntax?.packageName.name == "main" }
        for file in package.files {
            guard let syntax = file.syntax else { continue }
            let imports = package.imports(of: file)
            for case .gen(let g) in syntax.decls {
                for case .value(let declared, let type?, let values) in g.specs where values.isEmpty {
                    guard case .selector(.ident(let x), let t) = type.unparenthesized, t.name == "Once",
                          imports[x.name] == "sync" else { continue }
                    for name in declared where name.name != "_" && !(importable && name.name.first?.isUppercase == true) {
                        names.insert(name.name)
                    }
                }
            }
        }
        guard !names.isEmpty else { return names }
        for file in package.files {
            for decl in file.syntax?.decls ?? [] {
                let statements: [Stmt]
                switch decl {
                case .function(let f): statements = f.body?.statements ?? []
                case .gen(let g): statements = [.decl(g)]
                }
                for s in statements {
                    Walk.statements(s, intoFuncLits: true, { st in
                        if case .assign(let lhs, _, _, _) = st {
                            for l in lhs { if let n = l.identName { names.remove(n) } }
                        }
                        return true
                    }, { e in
                        if case .unary(.and, let x, _) = e, let n = x.unparenthesized.identName { names.remove(n) }
                        return true
                    })
                }
            }
        }
        return names
    }

    /// The names `f` declares itself: receiver, parameters, results, and every `:=`, `var` and
    /// `range` variable in its body (literals included): any of them may hide a package variable.
    static func localNames(_ f: FuncDecl) -> Set<String> {
        var names = Lint.declaredNames(f.body?.statements ?? [])
        for field in (f.receiver.map { [$0] } ?? []) + f.type.params + f.type.results {
            for n in field.names { names.insert(n.name) }
        }
        return names
    }

    /// Whether `offset` of `file` lies in the literal of a package-level `sync.Once`'s `Do`,
    /// outside its loops, and every function literal between them is started with `go`, called
    /// on the spot or deferred.
    static func encloses(_ offset: Int32, in file: SourceFile, package: PackageFacts) -> Bool {
        guard let syntax = file.syntax else { return false }
        var onceNames: Set<String>?
        var found = false
        for decl in syntax.decls where !found {
            guard case .function(let f) = decl, let body = f.body, body.lbrace <= offset && offset <= body.rbrace else { continue }
            for s in body.statements where !found {
                Walk.statements(s, intoFuncLits: true, { _ in !found }, { e in
                    guard !found, case .call(let c) = e, c.args.count == 1, case .selector(.ident(let v), let m) = c.fun.unparenthesized,
                          m.name == "Do", case .funcLit(_, let literal) = c.args[0].unparenthesized,
                          literal.lbrace <= offset && offset <= literal.rbrace else { return !found }
                    if onceNames == nil {
                        onceNames = package.onceVariables.byKey[""] ?? onceVariables(package)
                        package.onceVariables.byKey[""] = onceNames
                    }
                    found = onceNames!.contains(v.name) && !localNames(f).contains(v.name) && runsOnceWithin(offset, literal)
                    return false
                })
            }
        }
        return found
    }

    /// Whether the code at `offset` runs once each time `literal` does: outside its loops, with no
    /// label or `goto` in it, and every function literal between them run where it is written.
    static func runsOnceWithin(_ offset: Int32, _ literal: Block) -> Bool {
        !SuiteSetup.inLoop(offset, literal) && !Lint.jumps(literal.statements) && runsWithOnly(offset, literal)
    }

    /// Whether every function literal inside `literal` that holds `offset` runs when written:
    /// the function of a `go`, `defer` or expression statement's call.
    static func runsWithOnly(_ offset: Int32, _ literal: Block) -> Bool {
        var running = Set<Int32>()
        var holding: [Int32] = []
        for s in literal.statements {
            Walk.statements(s, intoFuncLits: true, { st in
                switch st {
                case .go(let c, _), .deferCall(let c, _), .expr(.call(let c)):
                    if case .funcLit(_, let b) = c.fun.unparenthesized { running.insert(b.lbrace) }
                default: break
                }
                return true
            }, { e in
                if case .funcLit(_, let b) = e, b.lbrace <= offset && offset <= b.rbrace { holding.append(b.lbrace) }
                return true
            })
        }
        return holding.allSatisfy(running.contains)
    }
}
