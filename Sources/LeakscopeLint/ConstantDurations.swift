import LeakscopeGoSource

/// The value of a constant `time.Duration` expression, as far as the syntax shows it:
/// `10 * time.Millisecond`, `time.Duration(5) * time.Second`, a package `const` of such.
enum ConstantDurations {
    /// Nanoseconds per unit of package time's named durations.
    static let units: [String: Int64] = [
        "Nanosecond": 1, "Microsecond": 1_000, "Millisecond": 1_000_000, "Second": 1_000_000_000,
        "Minute": 60_000_000_000, "Hour": 3_600_000_000_000,
    ]

    /// Nil when any part is not a constant this evaluator knows (a variable, a call, overflow).
    /// A local or parameter of the context's function hides a package constant of its name.
    static func nanoseconds(_ e: Expr, _ ctx: CheckContext) -> Int64? {
        nanoseconds(e, imports: ctx.imports, constants: ctx.package.constants) { LocalTypes(ctx.unit).declared.contains($0) }
    }

    /// `nanoseconds` for an expression written in a file with `imports`, in a package with
    /// `constants` (`PackageFacts.constants`); `shadowed`: whether the function `e` is written in
    /// declares a name (asked only of names `e` itself writes, not of a constant's value).
    static func nanoseconds(_ e: Expr, imports: [String: String], constants: [String: Expr], shadowed: (String) -> Bool) -> Int64? {
        func value(_ e: Expr, _ depth: Int, _ packageScope: Bool) -> Int64? {
            guard depth < 8 else { return nil }
            switch e.unparenthesized {
            case .basicLit(.int, let text, _):
                return Int64(String(text.filter { $0 != "_" }))
            case .ident(let id):
                guard packageScope || !shadowed(id.name) else { return nil }
                return constants[id.name].flatMap { value($0, depth + 1, true) }
            case .selector:
                guard case .selector(.ident(let x), let name) = e, imports[x.name] == "time" else { return nil }
                return units[name.name]
            case .binary(.mul, let a, let b, _):
                guard let x = value(a, depth + 1, packageScope), let y = value(b, depth + 1, packageScope) else { return nil }
                let (product, overflow) = x.multipliedReportingOverflow(by: y)
                return overflow ? nil : product
            case .call(let c) where c.args.count == 1:
                // The conversion `time.Duration(n)`.
                guard case .selector(.ident(let x), let name) = c.fun, imports[x.name] == "time",
                      name.name == "Duration" else { return nil }
                return value(c.args[0], depth + 1, packageScope)
            default:
                return nil
            }
        }
        return value(e, 0, false)
    }
}
