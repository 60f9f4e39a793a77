import Yams

/// Per-benchmark and per-unit limits for `gate bench`, from a YAML file:
/// ```yaml
/// max-regression: 5%        # default for every benchmark and unit
/// alpha: 0.05
/// thresholds:
///   - unit: allocs/op       # any increase in allocations fails
///     max-regression: 0%
///   - benchmark: Parse/*    # a glob over the name without `Benchmark` and without `-N`
///     unit: sec/op
///     max-regression: 15%
///   - benchmark: Flaky
///     ignore: true
/// ```
/// The last matching rule wins. Units are the normalised ones (`sec/op`, not `ns/op`).
public struct BenchConfig: Sendable, Hashable {
    /// One rule.
    public struct Rule: Sendable, Hashable {
        /// Glob over the benchmark name (`*` any run of characters); nil matches all.
        public var benchmark: String?
        /// Unit the rule applies to; nil matches all.
        public var unit: String?
        /// Largest tolerated change in the worse direction, as a ratio (0.05 = 5 %).
        public var maxRegression: Double?
        /// Never fail on the matching benchmarks (still reported).
        public var ignore: Bool = false
        /// Where the rule was written.
        public var line: Int

        public init(benchmark: String? = nil, unit: String? = nil, maxRegression: Double? = nil, ignore: Bool = false, line: Int = 0) {
            self.benchmark = benchmark
            self.unit = unit
            self.maxRegression = maxRegression
            self.ignore = ignore
            self.line = line
        }

        /// Whether the rule applies to `name` (GOMAXPROCS suffix removed) in `unit`.
        public func matches(name: String, unit: String) -> Bool {
            if let own = self.unit, own != unit { return false }
            guard let benchmark else { return true }
            let bare = BenchConfig.strippingProcs(name)
            return BenchConfig.glob(benchmark, matches: bare) || BenchConfig.glob(benchmark, matches: name)
        }
    }

    /// Default largest tolerated regression (ratio).
    public var maxRegression: Double?
    /// Significance level.
    public var alpha: Double?
    /// Rules, in file order.
    public var rules: [Rule] = []

    public init(maxRegression: Double? = nil, alpha: Double? = nil, rules: [Rule] = []) {
        self.maxRegression = maxRegression
        self.alpha = alpha
        self.rules = rules
    }

    /// Parses the YAML config; errors name the line and field.
    public static func parse(_ text: String, source: String) throws(GateInputError) -> BenchConfig {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch let error as YamlError {
            throw GateInputError(source: source, line: LoadContract.yamlLine(error), "not valid YAML: \(LoadContract.yamlProblem(error))")
        } catch { throw GateInputError(source: source, "not valid YAML: \(error)") }
        guard let root else { return BenchConfig() }
        guard let mapping = root.mapping else {
            throw GateInputError(source: source, line: LoadContract.line(root), "expected a mapping (max-regression, alpha, thresholds)")
        }
        var config = BenchConfig()
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            switch key {
            case "max-regression", "threshold":
                config.maxRegression = try percentage(value, field: key, source: source)
            case "alpha":
                guard let alpha = Double(value.string ?? ""), alpha > 0, alpha < 1 else {
                    throw GateInputError(source: source, line: LoadContract.line(value), field: key, "must be a number between 0 and 1")
                }
                config.alpha = alpha
            case "thresholds":
                guard let list = value.sequence else {
                    throw GateInputError(source: source, line: LoadContract.line(value), field: key, "expected a list of rules")
                }
                for (index, item) in list.enumerated() {
                    config.rules.append(try rule(item, field: "thresholds[\(index)]", source: source))
                }
            default:
                throw GateInputError(source: source, line: LoadContract.line(keyNode), field: key,
                                     "unknown key (use max-regression, alpha, thresholds)")
            }
        }
        return config
    }

    private static func rule(_ node: Node, field: String, source: String) throws(GateInputError) -> Rule {
        guard let mapping = node.mapping else {
            throw GateInputError(source: source, line: LoadContract.line(node), field: field, "expected a mapping")
        }
        var rule = Rule(line: LoadContract.line(node) ?? 0)
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            switch key {
            case "benchmark", "name": rule.benchmark = value.string.map { $0.hasPrefix("Benchmark") ? String($0.dropFirst(9)) : $0 }
            case "unit": rule.unit = value.string.map { $0 == "ns/op" ? "sec/op" : $0 == "MB/s" ? "B/s" : $0 }
            case "max-regression", "threshold": rule.maxRegression = try percentage(value, field: "\(field).\(key)", source: source)
            case "ignore": rule.ignore = value.bool ?? false
            default:
                throw GateInputError(source: source, line: LoadContract.line(keyNode), field: "\(field).\(key)",
                                     "unknown key (use benchmark, unit, max-regression, ignore)")
            }
        }
        return rule
    }

    /// `5%` → 0.05; `0.05` stays (a bare number ≥ 1 reads as percent: `5` → 0.05).
    public static func parsePercentage(_ text: String) -> Double? {
        let trimmed = Substring(text).trimmingWhitespace()
        let value: Double?
        if trimmed.hasSuffix("%") { value = Double(trimmed.dropLast()).map { $0 / 100 } } else {
            value = Double(trimmed).map { $0 >= 1 ? $0 / 100 : $0 }
        }
        guard let value, value.isFinite, value >= 0 else { return nil }
        return value
    }

    private static func percentage(_ node: Node, field: String, source: String) throws(GateInputError) -> Double {
        guard let value = parsePercentage(node.string ?? "") else {
            throw GateInputError(source: source, line: LoadContract.line(node), field: field, "`\(node.string ?? "")` is not a percentage (5%)")
        }
        return value
    }

    /// `Join-8` → `Join`; `Sizes/n=10-2` → `Sizes/n=10`.
    static func strippingProcs(_ name: String) -> String {
        guard let dash = name.lastIndex(of: "-"), name[name.index(after: dash)...].allSatisfy(\.isNumber),
              name.index(after: dash) < name.endIndex else { return name }
        return String(name[..<dash])
    }

    /// `*` matches any run of characters (including `/`); everything else literally.
    static func glob(_ pattern: String, matches text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && p[pi] != "*" && p[pi] == t[ti] { pi += 1; ti += 1 }
            else if pi < p.count && p[pi] == "*" { star = pi; mark = ti; pi += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; ti = mark }
            else { return false }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
