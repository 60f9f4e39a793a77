import LeakscopeFindings
import LeakscopeFormat
import LeakscopeGoroutines

/// `gate leaks`: goroutines left behind when a test binary finished.
///
/// Input is a goroutine dump taken after `m.Run()` returned (the injected TestMain of
/// `LeakCheckOverlay` writes one per package; `gate leaks PROFILE…` reads any debug=2 dump or
/// goroutine profile), and optionally Go's `goroutineleak` profile. In a dump, every goroutine is a
/// leak except the one taking the dump and the harmless ones uber-go/goleak also ignores by default
/// (goroutines whose stack and creator are all runtime, testing or os/signal code). In a
/// goroutineleak profile the goroutines marked `(leaked)` (every entry of its count form) are leaks the
/// garbage collector proved can never wake.
///
/// Leaks are grouped by package, test, state, wait site and creation site. The test is found from
/// the ancestry (`GODEBUG=tracebackancestors=N`, which the gate sets) or the creator's name: the
/// first `TestXxx`, `BenchmarkXxx`, `ExampleXxx` or `FuzzXxx` function among them.
public struct LeakCheck: Sendable {
    /// One dump to check.
    public struct Input: Sendable {
        /// The file it came from.
        public var source: String
        /// The Go package the test binary tested, when known.
        public var package: String?
        public var dump: GoroutineDump
        /// IDs of the goroutines already running before the tests started (from the dump the injected
        /// TestMain takes before `m.Run()`); empty when unknown.
        public var preexisting: Set<Int64>
        public init(source: String, package: String? = nil, dump: GoroutineDump, preexisting: Set<Int64> = []) {
            self.source = source
            self.package = package
            self.dump = dump
            self.preexisting = preexisting
        }
    }

    /// Goroutines the user declared harmless, as uber-go/goleak's options do.
    public struct Ignores: Sendable, Equatable {
        /// `goleak.IgnoreTopFunction`: goroutines whose innermost frame outside package `runtime` is
        /// one of these functions (fully qualified, `net/http.(*persistConn).readLoop`).
        public var topFunctions: Set<String>
        /// `goleak.IgnoreAnyFunction`: goroutines with one of these functions anywhere on the stack.
        public var anyFunctions: Set<String>
        /// `goleak.IgnoreCreatedBy`: goroutines started by one of these functions.
        public var creators: Set<String>
        /// `goleak.IgnoreCurrent`: goroutines already running before the tests started (started by
        /// `init` functions or package variables, so not the tests' doing).
        public var preexisting: Bool
        public init(topFunctions: Set<String> = [], anyFunctions: Set<String> = [], creators: Set<String> = [],
                    preexisting: Bool = false) {
            self.topFunctions = topFunctions
            self.anyFunctions = anyFunctions
            self.creators = creators
            self.preexisting = preexisting
        }

        /// Whether the user's options cover `g` (of a dump whose pre-test goroutines are `preexisting`).
        func cover(_ g: GoroutineView, preexisting ids: Set<Int64>) -> Bool {
            if preexisting && ids.contains(g.id) { return true }
            if !topFunctions.isEmpty {
                // Go ≥ 1.x dumps may show the runtime's own parking frames above the user's top frame.
                let top = g.frames.first { GoFunctionName($0.function).package != "runtime" } ?? g.frames.first
                if let top, topFunctions.contains(top.function) { return true }
            }
            if let creator = g.createdBy, creators.contains(creator.function) { return true }
            return !anyFunctions.isEmpty && g.frames.contains { anyFunctions.contains($0.function) }
        }
    }

    /// A group of leaked goroutines with one shape.
    public struct Leak: Sendable, Hashable {
        public var package: String?
        /// The test function they belong to (`TestWorkerStops`), when it could be told.
        public var test: String?
        public var count: Int
        /// The wait state (`chan receive`, `select`, `sleep`, …).
        public var state: String
        /// Where they wait: the first frame outside the standard library, else the innermost.
        public var waitSite: SourceSite?
        /// The `created by` frame.
        public var creator: SourceSite?
        /// A representative stack, innermost first, `function (file:line)`.
        public var stack: [String]
        /// Whether Go's goroutineleak profile reported them (proven unreachable).
        public var provenByGC: Bool
        public var source: String
    }

    public var leaks: [Leak]
    /// Goroutines ignored as harmless (test runner, signal handling, the dumping goroutine).
    public var ignored: Int
    /// Goroutines ignored because the user's `Ignores` cover them.
    public var ignoredByOption: Int
    public var sources: [String]

    public var verdict: GateVerdict { leaks.isEmpty ? .pass : .fail }

    /// Finds the leaks in `inputs`, leaving out what `ignores` covers.
    public init(_ inputs: [Input], ignoring ignores: Ignores = Ignores()) {
        var groups: [Leak] = []
        var index: [String: Int] = [:]
        var ignored = 0
        var ignoredByOption = 0
        for input in inputs {
            // A debug=2 leak profile lists every goroutine and marks the leaked ones; the count and
            // proto forms hold only leaked ones.
            let isLeakProfile = input.dump.profileName == "goroutineleak" && input.dump.format != .traceback
            for g in input.dump.resolvedGoroutines {
                let proven = isLeakProfile || g.flags.contains(.leaked)
                if !proven && Self.isHarmless(g) { ignored += Int(g.count); continue }
                if ignores.cover(g, preexisting: input.preexisting) { ignoredByOption += Int(g.count); continue }
                let wait = input.dump.blockingSite(of: g.goroutine.stack).map {
                    SourceSite(function: input.dump.names[$0.function], file: input.dump.names[$0.file], line: Int($0.line))
                }
                let creator = g.createdBy.map { SourceSite(function: $0.function, file: $0.file, line: $0.line) }
                let test = Self.testName(of: g)
                let state = g.state
                let key = [input.package ?? "", test ?? "", state, wait?.function ?? "", creator?.function ?? "",
                           input.source].joined(separator: "\u{0}")
                if let at = index[key] {
                    groups[at].count += Int(g.count)
                    groups[at].provenByGC = groups[at].provenByGC || proven
                } else {
                    index[key] = groups.count
                    groups.append(Leak(package: input.package, test: test, count: Int(g.count), state: state, waitSite: wait,
                                       creator: creator, stack: g.frames.prefix(12).map { "\($0.function) (\($0.file):\($0.line))" },
                                       provenByGC: proven, source: input.source))
                }
            }
        }
        // A goroutine in both the dump and the leak profile is one leak: keep the dump's group,
        // marked proven, and drop the profile's twin.
        var merged: [Leak] = []
        for leak in groups {
            if let at = merged.firstIndex(where: { $0.package == leak.package && $0.waitSite == leak.waitSite
                && $0.creator == leak.creator && $0.source != leak.source }) {
                merged[at].provenByGC = merged[at].provenByGC || leak.provenByGC
                merged[at].count = max(merged[at].count, leak.count)
                if merged[at].test == nil { merged[at].test = leak.test }
            } else {
                merged.append(leak)
            }
        }
        leaks = merged.sorted { ($0.package ?? "", $0.test ?? "", -$0.count) < ($1.package ?? "", $1.test ?? "", -$1.count) }
        self.ignored = ignored
        self.ignoredByOption = ignoredByOption
        sources = inputs.map(\.source)
    }

    /// The findings, one per leak group.
    public var findings: [Finding] {
        leaks.map { leak in
            let whereText = leak.test.map { " in \($0)" } ?? ""
            let site = leak.waitSite?.function ?? leak.creator?.function ?? "unknown code"
            let count = Numbers.count(leak.count)
            var summary = "\(count) goroutine\(leak.count == 1 ? "" : "s") still in \(leak.state) at \(site) after the tests ended"
            if let creator = leak.creator { summary += "; created by \(creator.short)" }
            if leak.provenByGC { summary += "; the goroutineleak profile proves them unreachable" }
            return Finding(
                kind: .goroutineLeak, severity: .critical, score: leak.provenByGC ? 95 : 80,
                title: "\(count) goroutine\(leak.count == 1 ? "" : "s") leaked\(whereText) (\(leak.package ?? leak.source)): \(leak.state) in \(site)",
                location: leak.waitSite ?? leak.creator,
                evidence: .init(summary: summary, metrics: [.init("goroutines", Double(leak.count))], stack: leak.stack,
                                sources: [leak.source]),
                hint: "Give the goroutine a way to stop (close its channel, cancel its context) and wait for it "
                    + "(sync.WaitGroup, t.Cleanup) before the test returns.")
        }
    }

    /// Packages whose goroutines never count as leaks when every frame and the creator are theirs.
    static let harmlessPackages: Set<String> = ["runtime", "testing", "os/signal", "runtime/pprof", "runtime/trace", ""]

    static func isHarmless(_ g: GoroutineView) -> Bool {
        if g.flags.contains(.system) { return true }
        // The goroutine taking the dump (our TestMain, or whoever called the profile).
        if g.state == "running" { return true }
        if g.frames.contains(where: { $0.function.hasPrefix("runtime/pprof.") && $0.function.contains("write") }) { return true }
        func harmless(_ function: String) -> Bool {
            let package = GoFunctionName(function).package
            return harmlessPackages.contains(package) || package.hasPrefix("internal/")
        }
        guard g.frames.allSatisfy({ harmless($0.function) }) else { return false }
        return g.createdBy.map { harmless($0.function) } ?? true
    }

    /// The test function that started `g`: searched in its own stack, its creator and its ancestors.
    static func testName(of g: GoroutineView) -> String? {
        var functions = g.frames.map(\.function)
        if let creator = g.createdBy { functions.append(creator.function) }
        for ancestor in g.ancestors {
            functions += ancestor.frames.map(\.function)
            if let creator = ancestor.createdBy { functions.append(creator.function) }
        }
        for function in functions {
            let name = GoFunctionName(function)
            guard name.receiver == nil, !name.package.hasPrefix("testing") else { continue }
            let base = name.name.split(separator: ".").first.map(String.init) ?? name.name
            for prefix in ["Test", "Benchmark", "Example", "Fuzz"] where base.hasPrefix(prefix) && base != "TestMain" {
                let rest = base.dropFirst(prefix.count)
                if rest.isEmpty || !(rest.first!.isLowercase) { return base }
            }
        }
        return nil
    }
}
