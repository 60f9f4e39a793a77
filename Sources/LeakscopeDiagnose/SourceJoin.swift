import LeakscopeFindings
import LeakscopeFormat
import LeakscopeGoSymbols
import LeakscopeGoroutines

/// Joins static lint findings and runtime findings that name the same Go function.
///
/// Functions are compared as `GoSymbol`s (package path, receiver type, name), so a goroutine leak the
/// runtime reports in `pkg.(*Pool).lookup.func1` meets the LS001 the linter reports in the same
/// literal, and also lint findings elsewhere in `lookup` or its other literals (the runtime's closure
/// numbering can differ from the source's when the compiler inlines). A finding in the same literal
/// is listed first.
///
/// - `diagnose --source`: each runtime finding gains the matching lint findings as `staticEvidence`
///   and `Thresholds.corroborationBonus` score; lint findings nothing at run time touched are
///   returned as "static only".
/// - `lint --capture`: each lint finding gains the runtime findings in its function as `RuntimeEvidence`.
public enum SourceJoin {
    /// Every number of the join, in one place.
    public struct Thresholds: Sendable {
        /// Score added to a runtime finding whose function also has a static finding: the code
        /// shows the pattern the runtime caught.
        public var corroborationBonus = 5
        public init() {}
    }

    /// The declared function a runtime or lint function name belongs to; nil when it does not parse.
    static func key(_ function: String) -> GoSymbol? { GoSymbol(function)?.enclosing }

    /// Attaches `statics` to the runtime findings in the same function; returns the ones no runtime
    /// finding took, in their given order.
    public static func attach(_ statics: [StaticEvidence], to findings: inout [Finding],
                              thresholds: Thresholds = .init()) -> [StaticEvidence] {
        var byFunction: [GoSymbol: [StaticEvidence]] = [:]
        for item in statics {
            guard let key = key(item.function) else { continue }
            byFunction[key, default: []].append(item)
        }
        var used = Set<StaticEvidence>()
        for index in findings.indices {
            guard let function = findings[index].location?.function, let key = key(function),
                  let matched = byFunction[key] else { continue }
            // Same literal first, then by file position.
            let ordered = matched.sorted { a, b in
                let x = a.function == function, y = b.function == function
                if x != y { return x }
                return (a.file, a.line, a.column) < (b.file, b.line, b.column)
            }
            findings[index].staticEvidence = ordered
            findings[index].score = min(100, findings[index].score + thresholds.corroborationBonus)
            used.formUnion(ordered)
        }
        return statics.filter { !used.contains($0) }
    }

    /// The runtime findings (from `source`) in the same function as `item`, strongest first. When
    /// none names the function but goroutines wait in it in the last snapshot (`waiting`), that is
    /// said as an info-level `blocking-wait` observation (score 0): seen, but not judged a problem.
    public static func runtime(for item: StaticEvidence, in findings: [Finding], source: String,
                               waiting: [GoSymbol: Waiting] = [:]) -> [RuntimeEvidence] {
        guard let key = key(item.function) else { return [] }
        let matched = Finding.ranked(findings.filter { $0.location.flatMap { Self.key($0.function) } == key }).map { finding in
            RuntimeEvidence(kind: finding.kind, severity: finding.severity, score: finding.score,
                            function: finding.location?.function ?? "", title: finding.title,
                            metrics: finding.evidence.metrics, source: source)
        }
        guard matched.isEmpty, let seen = waiting[key] else { return matched }
        let states = seen.states.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\($0.key.isEmpty ? "?" : $0.key) \(Numbers.count($0.value))" }.joined(separator: ", ")
        return [RuntimeEvidence(kind: .blockingWait, severity: .info, score: 0, function: seen.function,
                                title: "\(Numbers.count(seen.count)) goroutine\(seen.count == 1 ? "" : "s") in \(seen.function) "
                                    + "at the last snapshot (\(states)); no finding: not judged stuck",
                                metrics: [.init("goroutines", Double(seen.count))], source: source)]
    }

    /// Goroutines whose blocking site (first application frame) is in one declared function.
    public struct Waiting: Sendable, Hashable {
        /// The most common blocking-site function as printed (a literal, say).
        public var function: String
        public var count: Int
        /// Goroutines per state (`chan receive`, `select`, …).
        public var states: [String: Int]
    }

    /// Per declared function, the goroutines of `dump` whose blocking site is application code in it.
    public static func waiting(in dump: GoroutineDump) -> [GoSymbol: Waiting] {
        var out: [GoSymbol: Waiting] = [:]
        var functions: [GoSymbol: [String: Int]] = [:]
        for goroutine in dump.goroutines {
            guard let frame = dump.blockingSite(of: goroutine.stack) else { continue }
            let function = dump.names[frame.function]
            guard ApplicationCode.isApplication(function), let key = key(function) else { continue }
            let count = Int(goroutine.count)
            out[key, default: Waiting(function: function, count: 0, states: [:])].count += count
            out[key]?.states[dump.state(of: goroutine), default: 0] += count
            functions[key, default: [:]][function, default: 0] += count
        }
        for (key, counts) in functions {
            out[key]?.function = counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? ""
        }
        return out
    }

    /// `source DIR: 3 lint findings in 12 files; 1 on a runtime finding, 2 static only`.
    public static func note(source: String, files: Int, statics: Int, staticOnly: Int) -> String {
        "source \(source): \(Numbers.count(statics)) lint finding\(statics == 1 ? "" : "s") in \(Numbers.count(files)) "
            + "file\(files == 1 ? "" : "s"); \(Numbers.count(statics - staticOnly)) in functions with runtime findings, "
            + "\(Numbers.count(staticOnly)) static only"
    }
}
