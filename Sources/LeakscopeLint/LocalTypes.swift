import LeakscopeGoSource

/// The little type knowledge the checks need: declared types of a function's receiver, parameters and
/// locals (`var x T`, `x := T{}`, `&T{}`, `new(T)`, `make(T, …)`), and struct field types; and every
/// name the function declares itself, typed or not.
struct LocalTypes {
    var types: [String: Expr] = [:]
    /// The names the function declares itself: receiver, parameters, results, and the `var`, `:=`,
    /// range and type-switch variables of its own body (not of literals inside it).
    var declared: Set<String> = []

    init(_ unit: FunctionUnit) {
        for field in (unit.receiver.map { [$0] } ?? []) + unit.type.params + unit.type.results {
            for name in field.names {
                types[name.name] = field.type
                declared.insert(name.name)
            }
        }
        for s in unit.body.statements {
            Walk.statements(s, intoFuncLits: false, { statement in
                switch statement {
                case .decl(let decl):
                    for spec in decl.specs {
                        guard case .value(let names, let type, let values) = spec else { continue }
                        for (index, name) in names.enumerated() {
                            declared.insert(name.name)
                            if let type { types[name.name] = type }
                            else if names.count == values.count, let t = Self.typeOf(values[index]) { types[name.name] = t }
                        }
                    }
                case .assign(let lhs, .define, let rhs, _):
                    for (index, x) in lhs.enumerated() {
                        guard case .ident(let id) = x else { continue }
                        declared.insert(id.name)
                        if lhs.count == rhs.count, let t = Self.typeOf(rhs[index]) { types[id.name] = t }
                    }
                case .rangeStmt(let key, let value, .define, _, _, _):
                    for case .ident(let id)? in [key, value] { declared.insert(id.name) }
                case .typeSwitch(_, .assign(let lhs, .define, _, _), _, _):
                    for case .ident(let id) in lhs { declared.insert(id.name) }
                default: break
                }
                return true
            }, { _ in true })
        }
    }

    /// The type an initializer visibly has.
    static func typeOf(_ e: Expr) -> Expr? {
        switch e.unparenthesized {
        case .compositeLit(let type?, _, _, _): return type
        case .unary(.and, let inner, let pos):
            if case .compositeLit(let type?, _, _, _) = inner.unparenthesized { return .star(type, pos: pos) }
            return nil
        case .call(let call):
            if case .ident(let f) = call.fun, f.name == "new" || f.name == "make", let first = call.args.first {
                return f.name == "new" ? .star(first, pos: first.pos) : first
            }
            return nil
        default: return nil
        }
    }

    /// The declared type of `e` when it is a local, a parameter, or a field of the package.
    func type(of e: Expr, facts: PackageFacts) -> Expr? {
        switch e.unparenthesized {
        case .ident(let id): return types[id.name]
        case .selector(_, let selected): return facts.fieldTypes[selected.name]
        default: return nil
        }
    }
}

extension CheckContext {
    /// Whether `type` is `path.name` or `*path.name`.
    func isNamed(_ type: Expr?, _ path: String, _ name: String) -> Bool {
        guard var t = type else { return false }
        if case .star(let inner, _) = t { t = inner }
        guard let member = packageMember(t) else { return false }
        return member.path == path && member.name == name
    }
}
