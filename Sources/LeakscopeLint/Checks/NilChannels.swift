import LeakscopeGoSource

/// Channel fields nothing ever makes. A receive from a nil channel blocks forever, so a select
/// case waiting on an unexported channel field that no code of the package sets is never taken:
///
///     type Service struct{ quit chan bool } // NewService never sets quit
///     …
///     t := time.NewTicker(interval)
///     for {
///         select {
///         case <-s.quit: // never ready
///             return
///         case <-t.C: …
///
/// The loop never ends, so its ticker lives as long as the process by design (horizon's event
/// handler and webhook reconciler, session 34's second clean pass: both false). LS002 asks; LS001
/// does not, as a receiver whose stop case never fires may still give up after a value it took.
/// Set means any assignment to a field of that name (`x.quit = …`, also with `op=`), its address
/// taken, a keyed literal naming it, or an unkeyed literal of a type that declares it; an exported
/// field may be set by other packages, and a name several struct types declare with different
/// types (`PackageFacts.fieldTypes` leaves those out) is not followed.
enum NilChannels {
    /// Whether the select case `comm` receives from such a field, so it is never taken. When the
    /// base's declared type is the package's `T` (`LocalTypes`), `T`'s own declaration of the field
    /// is asked about, and a keyed literal of another type naming a field so called does not count.
    static func neverTaken(_ comm: Stmt?, _ ctx: CheckContext) -> Bool {
        guard let channel = Lint.receivedChannel(comm), case .selector(let base, let field) = channel.unparenthesized,
              field.name.first?.isLowercase == true, !ctx.package.localFields.contains(field.name) else { return false }
        let set = setFields(ctx)
        guard !set.contains(field.name) else { return false }
        if let owner = LocalTypes(ctx.unit).type(of: base, facts: ctx.package).flatMap(PackageFacts.receiverTypeName),
           let declared = ctx.package.structFields[owner]?[field.name] {
            guard case .chanType = declared.unparenthesized else { return false }
            return !set.contains(owner + "." + field.name)
        }
        guard case .chanType? = ctx.package.fieldTypes[field.name]?.unparenthesized else { return false }
        return !set.contains { $0.hasSuffix("." + field.name) }
    }

    /// The fields the package's code sets anywhere, read once per package: a field's name when
    /// any value's field of that name is set (`x.quit = …`, `&x.quit`, a literal of unknown type
    /// keying it), `T.name` when a keyed literal of the package's type `T` sets it.
    static func setFields(_ ctx: CheckContext) -> Set<String> {
        if let known = ctx.package.setFields.byKey[""] { return known }
        var names = Set<String>()
        func statement(_ s: Stmt) -> Bool {
            if case .assign(let lhs, _, _, _) = s {
                for x in lhs { if case .selector(_, let f) = x.unparenthesized { names.insert(f.name) } }
            }
            return true
        }
        func expression(_ e: Expr) -> Bool {
            switch e {
            case .unary(.and, let x, _):
                if case .selector(_, let f) = x.unparenthesized { names.insert(f.name) }
            case .compositeLit(let type, let elements, _, _):
                var t = type?.unparenthesized
                if case .star(let inner, _)? = t { t = inner.unparenthesized }
                let owner = t?.identName.flatMap { name in ctx.package.structFields[name].map { (name: name, fields: $0) } }
                for element in elements {
                    if case .keyValue(let key, _, _) = element, let name = key.identName {
                        names.insert(owner.map { $0.name + "." + name } ?? name)
                    }
                }
                if let owner, elements.contains(where: { if case .keyValue = $0 { return false }; return true }) {
                    names.formUnion(owner.fields.keys.map { owner.name + "." + $0 })
                }
            default:
                break
            }
            return true
        }
        for file in ctx.package.files {
            guard let syntax = file.syntax else { continue }
            for decl in syntax.decls {
                switch decl {
                case .function(let f):
                    for s in f.body?.statements ?? [] { Walk.statements(s, intoFuncLits: true, statement, expression) }
                case .gen(let g):
                    // A package-level literal's statements (`var reset = func(s *S) { s.quit = … }`).
                    for case .value(_, _, let values) in g.specs {
                        for v in values {
                            Walk.expr(v, intoFuncLits: false) { e in
                                if case .funcLit(_, let body) = e {
                                    for s in body.statements { Walk.statements(s, intoFuncLits: true, statement, expression) }
                                    return false
                                }
                                return expression(e)
                            }
                        }
                    }
                }
            }
        }
        ctx.package.setFields.byKey[""] = names
        return names
    }
}
