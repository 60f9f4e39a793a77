/// pprof's measurement units: memory (1024-based), time, and GCU, with the
/// aliases and scaling rules of `go tool pprof` (its `measurement` package).
package enum MeasurementUnits {
    struct Unit: Sendable {
        let name: String
        let aliases: [String]
        let factor: Double
    }

    struct UnitType: Sendable {
        let units: [Unit]
        let defaultUnit: Unit

        /// Finds the unit a (case-insensitive, possibly plural) spelling names.
        func sniff(_ spelling: String) -> Unit? {
            var lower = spelling.lowercased()
            // pprof trims one trailing "s" from spellings longer than two bytes.
            if lower.utf8.count > 2, lower.hasSuffix("s") { lower.removeLast() }
            for unit in units where unit.aliases.contains(lower) { return unit }
            return nil
        }

        /// The largest unit that keeps `value` (in base units) at or above 1.
        func autoScale(_ value: Double) -> (Double, String)? {
            var factor = 0.0
            var name = ""
            for unit in units where unit.factor >= factor && value / unit.factor >= 1 {
                factor = unit.factor
                name = unit.name
            }
            return factor == 0 ? nil : (value / factor, name)
        }

        func convert(_ value: Int64, from: String, to: String) -> (Double, String)? {
            guard let fromUnit = sniff(from) else { return nil }
            let base = Double(value) * fromUnit.factor
            if to == "minimum" || to == "auto" {
                if let scaled = autoScale(base) { return scaled }
                return (base / defaultUnit.factor, defaultUnit.name)
            }
            guard let toUnit = sniff(to) else { return (base / defaultUnit.factor, defaultUnit.name) }
            return (base / toUnit.factor, toUnit.name)
        }
    }

    static let types: [UnitType] = [
        UnitType(units: [
            Unit(name: "B", aliases: ["b", "byte"], factor: 1),
            Unit(name: "kB", aliases: ["kb", "kbyte", "kilobyte"], factor: Double(1 << 10)),
            Unit(name: "MB", aliases: ["mb", "mbyte", "megabyte"], factor: Double(1 << 20)),
            Unit(name: "GB", aliases: ["gb", "gbyte", "gigabyte"], factor: Double(1 << 30)),
            Unit(name: "TB", aliases: ["tb", "tbyte", "terabyte"], factor: Double(1 << 40)),
            Unit(name: "PB", aliases: ["pb", "pbyte", "petabyte"], factor: Double(1 << 50)),
        ], defaultUnit: Unit(name: "B", aliases: ["b", "byte"], factor: 1)),
        UnitType(units: [
            Unit(name: "ns", aliases: ["ns", "nanosecond"], factor: 1),
            Unit(name: "us", aliases: ["μs", "us", "microsecond"], factor: 1e3),
            Unit(name: "ms", aliases: ["ms", "millisecond"], factor: 1e6),
            Unit(name: "s", aliases: ["s", "sec", "second"], factor: 1e9),
            Unit(name: "hrs", aliases: ["hour", "hr"], factor: 3600e9),
        ], defaultUnit: Unit(name: "s", aliases: [], factor: 1e9)),
        UnitType(units: [
            Unit(name: "n*GCU", aliases: ["nanogcu"], factor: 1e-9),
            Unit(name: "u*GCU", aliases: ["microgcu"], factor: 1e-6),
            Unit(name: "m*GCU", aliases: ["milligcu"], factor: 1e-3),
            Unit(name: "GCU", aliases: ["gcu"], factor: 1),
            Unit(name: "k*GCU", aliases: ["kilogcu"], factor: 1e3),
            Unit(name: "M*GCU", aliases: ["megagcu"], factor: 1e6),
            Unit(name: "G*GCU", aliases: ["gigagcu"], factor: 1e9),
            Unit(name: "T*GCU", aliases: ["teragcu"], factor: 1e12),
            Unit(name: "P*GCU", aliases: ["petagcu"], factor: 1e15),
        ], defaultUnit: Unit(name: "GCU", aliases: [], factor: 1)),
    ]

    /// Converts `value` measured in `from` into `to` ("minimum"/"auto" pick the best
    /// unit). Unknown units pass the value through; count-like targets drop the unit.
    package static func scale(_ value: Int64, from: String, to: String) -> (value: Double, unit: String) {
        if value < 0 && value != .min {
            let (v, u) = scale(-value, from: from, to: to)
            return (-v, u)
        }
        for type in types {
            if let converted = type.convert(value, from: from, to: to) { return converted }
        }
        switch to {
        case "count", "sample", "unit", "minimum", "auto": return (Double(value), "")
        default: return (Double(value), to)
        }
    }

    /// True when both spellings name units of one family (or are equal).
    static func compatible(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        return types.contains { $0.sniff(a) != nil && $0.sniff(b) != nil }
    }
}
