/// How benchmark results print (`gate bench`), close to benchstat's columns: four significant digits
/// with an SI prefix for times and counts (`1.718µs`, `12.35k`), 1024-based sizes for bytes,
/// signed changes with two decimals (`+5.21%`), p-values with three (`p=0.004`).
extension Numbers {
    /// A benchmark value in its (normalised) unit: `sec/op` as a time, `B/op`/`B/s` as bytes,
    /// anything else as a count with an SI prefix.
    public static func benchmark(_ value: Double, unit: String) -> String {
        if let text = nonFiniteText(value) { return text }
        switch unit {
        case "sec/op": return significant(value, digits: 4) + "s"
        case "B/op": return bytes(value)
        case "B/s": return bytes(value) + "/s"
        default: return significant(value, digits: 4)
        }
    }

    /// `value` with `digits` significant digits and an SI prefix (n, µ, m, k, M, G, T): `1.718µ`, `12.35k`, `6.000`.
    public static func significant(_ value: Double, digits: Int = 4) -> String {
        if let text = nonFiniteText(value) { return text }
        if value == 0 { return "0" }
        let prefixes: [(Double, String)] = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1, ""),
                                             (1e-3, "m"), (1e-6, "µ"), (1e-9, "n")]
        let magnitude = abs(value)
        let (scale, prefix) = prefixes.first(where: { magnitude >= $0.0 * 0.99995 }) ?? (1e-9, "n")
        let scaled = magnitude / scale
        var whole = 1
        var bound = 10.0
        while scaled >= bound * 0.99995 && whole < digits { whole += 1; bound *= 10 }
        let text = decimal(scaled, places: max(0, digits - whole))
        return (value < 0 ? "-" : "") + text + prefix
    }

    /// A relative change as benchstat prints it: `+5.21%`, `-17.20%`, `+0.00%`.
    public static func change(_ ratio: Double) -> String {
        if let text = nonFiniteText(ratio) { return text }
        let text = decimal(ratio * 100, places: 2)
        return (text.hasPrefix("-") ? text : "+" + text) + "%"
    }

    /// A p-value with three decimals: `0.004`, `1.000`.
    public static func pValue(_ p: Double) -> String { decimal(p, places: 3) }

    private static func nonFiniteText(_ value: Double) -> String? {
        if value.isNaN { return "n/a" }
        if value.isInfinite { return value > 0 ? "∞" : "-∞" }
        return nil
    }
}
