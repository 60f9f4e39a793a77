/// Go benchmark output read per the benchmark data format (golang.org/design/14313-benchmark-format):
/// `key: value` configuration lines, result lines `BenchmarkName-N  iterations  value unit…`, and
/// `Unit unit better=higher|lower assume=exact|nothing` metadata lines. Every other line (PASS, ok,
/// test output) is ignored, as benchstat ignores it.
///
/// Values are normalised the way benchstat names them: `ns/op` becomes `sec/op` (÷ 10⁹), `MB/s`
/// becomes `B/s` (× 10⁶); other units are kept as written. Several runs of one benchmark (`-count N`,
/// or several files concatenated) are the samples the statistics compare.
public struct BenchmarkFile: Sendable {
    /// One benchmark and unit: the thing a gate compares.
    public struct Key: Sendable, Hashable, Comparable {
        /// The `pkg:` configuration in force for the result ("" when none).
        public var package: String
        /// The name without the `Benchmark` prefix, with sub-benchmark parts and the `-N` GOMAXPROCS suffix.
        public var name: String
        /// The normalised unit (`sec/op`, `B/op`, `allocs/op`, `B/s`, or a custom unit).
        public var unit: String

        public init(package: String, name: String, unit: String) {
            self.package = package
            self.name = name
            self.unit = unit
        }

        public static func < (a: Key, b: Key) -> Bool {
            (a.package, a.name, a.unit) < (b.package, b.name, b.unit)
        }
    }

    /// Which direction of change is better for a unit.
    public enum Better: String, Sendable, Hashable, Codable { case lower, higher }

    /// Where the data came from (a path or `<stdin>`).
    public var source: String
    /// The samples per benchmark and unit, in input order.
    public var samples: [Key: [Double]] = [:]
    /// Keys in the order they first appeared.
    public var order: [Key] = []
    /// Configuration seen (`goos`, `goarch`, `cpu`, `pkg`, …): the last value of each key.
    public var configuration: [String: String] = [:]
    /// Configuration keys in first-seen order, for printing.
    public var configurationOrder: [String] = []
    /// Per-unit direction declared by `Unit` lines (overrides the defaults).
    public var declaredBetter: [String: Better] = [:]
    /// Units declared `assume=exact`.
    public var exactUnits: Set<String> = []

    /// An empty file named `source`.
    public init(source: String) { self.source = source }

    /// Whether a lower or higher value of `unit` is better: `Unit` lines first, then the defaults
    /// (`B/s` and anything per second higher, everything else lower).
    public func better(_ unit: String) -> Better {
        if let declared = declaredBetter[unit] { return declared }
        return unit.hasSuffix("/s") ? .higher : .lower
    }

    /// Parses `text`. Throws `GateInputError` with the line for a malformed result or unit line, and
    /// when the input holds no benchmark results at all.
    public static func parse(_ text: String, source: String) throws(GateInputError) -> BenchmarkFile {
        var file = BenchmarkFile(source: source)
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.hasPrefix("Benchmark") {
                try file.addResult(line, lineNumber: lineNumber)
            } else if line.hasPrefix("Unit ") {
                try file.addUnitMetadata(line, lineNumber: lineNumber)
            } else if let (key, value) = configurationLine(line) {
                if file.configuration[key] == nil { file.configurationOrder.append(key) }
                file.configuration[key] = value
            }
        }
        guard !file.order.isEmpty else {
            throw GateInputError(source: source, "no benchmark results (lines like `BenchmarkX-8  1000  123 ns/op`)")
        }
        return file
    }

    private mutating func addResult(_ line: Substring, lineNumber: Int) throws(GateInputError) {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        // `BenchmarkFoo` alone (a benchmark that printed a log line first) is not a result line.
        guard fields.count > 1 else { return }
        // The name must be `Benchmark` then an upper-case letter, a digit-free end, or `/`, `-`, `_`.
        let name = fields[0].dropFirst("Benchmark".count)
        if let first = name.first, first.isLowercase { return }
        guard Int(fields[1]) != nil else {
            // `BenchmarkFoo some log text`: the format says such lines are not results.
            if fields[1].first?.isNumber == true {
                throw GateInputError(source: source, line: lineNumber, field: "iterations",
                                     "`\(fields[1])` is not a whole number")
            }
            return
        }
        guard fields.count >= 4, fields.count % 2 == 0 else {
            throw GateInputError(source: source, line: lineNumber,
                                 "result line needs value-unit pairs after the iteration count (got \(fields.count) fields)")
        }
        let package = configuration["pkg"] ?? ""
        var index = 2
        while index < fields.count {
            guard let value = Double(fields[index]), value.isFinite else {
                throw GateInputError(source: source, line: lineNumber, field: String(fields[index + 1]),
                                     "`\(fields[index])` is not a number")
            }
            let (unit, scaled) = Self.normalise(unit: String(fields[index + 1]), value: value)
            let key = Key(package: package, name: String(name), unit: unit)
            if samples[key] == nil { order.append(key) }
            samples[key, default: []].append(scaled)
            index += 2
        }
    }

    private mutating func addUnitMetadata(_ line: Substring, lineNumber: Int) throws(GateInputError) {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 3 else {
            throw GateInputError(source: source, line: lineNumber, "Unit line needs a unit and key=value pairs")
        }
        let unit = Self.normalise(unit: String(fields[1]), value: 1).0
        for pair in fields.dropFirst(2) {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else {
                throw GateInputError(source: source, line: lineNumber, field: String(pair), "expected key=value")
            }
            switch (parts[0], parts[1]) {
            case ("better", "higher"): declaredBetter[unit] = .higher
            case ("better", "lower"): declaredBetter[unit] = .lower
            case ("assume", "exact"): exactUnits.insert(unit)
            case ("assume", "nothing"): exactUnits.remove(unit)
            case ("better", _), ("assume", _):
                throw GateInputError(source: source, line: lineNumber, field: String(parts[0]),
                                     "unknown value `\(parts[1])`")
            default: break  // other metadata keys are allowed and ignored
            }
        }
    }

    /// `key: value` where key starts lower-case and has no spaces or upper-case letters.
    static func configurationLine(_ line: Substring) -> (String, String)? {
        guard let colon = line.firstIndex(of: ":"), let first = line.first, first.isLowercase else { return nil }
        let key = line[..<colon]
        guard !key.contains(where: { $0 == " " || $0 == "\t" || $0.isUppercase }) else { return nil }
        let rest = line[line.index(after: colon)...]
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        return (String(key), rest.trimmingWhitespace())
    }

    /// benchstat's unit normalisation: `ns/op` → `sec/op`, `MB/s` → `B/s`.
    static func normalise(unit: String, value: Double) -> (String, Double) {
        switch unit {
        case "ns/op": return ("sec/op", value / 1e9)
        case "MB/s": return ("B/s", value * 1e6)
        default: return (unit, value)
        }
    }
}

extension Substring {
    func trimmingWhitespace() -> String {
        var slice = self[...]
        while let c = slice.first, c == " " || c == "\t" { slice = slice.dropFirst() }
        while let c = slice.last, c == " " || c == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
