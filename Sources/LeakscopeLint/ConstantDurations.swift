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
    /// `packageScope`: `e` is a package constant's value, where the function's locals are not seen.
    static func nanoseconds(_ e: Expr, _ ctx: CheckContext, depth: Int = 0, packageScope: Bool = false) -> Int64? {
        guard depth < 8 else { return nil }
        switch e.unparenthesized {
        case .basicLit(.int, let text, _):
            return Int64(String(text.filter { $0 != "_" }))
        case .ident(let id):
            // A local or parameter of that name shadows the package's.
            guard packageScope || !LocalTypes(ctx.unit).declared.contains(id.name) else { return nil }
            return ctx.package.constants[id.name].flatMap { nanoseconds($0, ctx, depth: depth + 1, packageScope: true) }
        case .selector:
            guard let member = ctx.packageMember(e), member.path == "time" else { return nil }
            return units[member.name]
        case .binary(.mul, let a, let b, _):
            guard let x = nanoseconds(a, ctx, depth: depth + 1, packageScope: packageScope),
                  let y = nanoseconds(b, ctx, depth: depth + 1, packageScope: packageScope) else { return nil }
            let (product, overflow) = x.multipliedReportingOverflow(by: y)
            return overflow ? nil : product
        case .call(let c) where c.args.count == 1:
            // The conversion `time.Duration(n)`.
            guard let member = ctx.packageMember(c.fun), member.path == "time", member.name == "Duration" else { return nil }
            return nanoseconds(c.args[0], ctx, depth: depth + 1, packageScope: packageScope)
        default:
            return nil
        }
    }
}
