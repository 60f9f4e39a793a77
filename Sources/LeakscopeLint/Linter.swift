import LeakscopeGoSource

/// One function body to check: a declared function or method, or a function literal.
public struct FunctionUnit {
    /// The runtime's name for it (`net/http.(*Client).do`, `main.serve.func1`).
    public var name: String
    public var type: FuncType
    public var body: Block
    /// Nil for declared functions; for literals, the unit they are written in.
    public var isLiteral: Bool
    /// The receiver of the method (for literals: of the method they are written in), if any.
    public var receiver: Field? = nil
    /// A literal run by a `go` statement of a function that never returns (`Lint.blocksForever`):
    /// the goroutine lives as long as the process, by design.
    public var startedByEndlessFunction = false

    /// The names of the receiver, parameters and results.
    var signatureNames: Set<String> {
        Set(((receiver.map { [$0] } ?? []) + type.params + type.results).flatMap { $0.names.map(\.name) })
    }
}

/// What one check sees: the package, the file, its imports, the function.
///
/// A class, not a struct: checks reach it from nested closures over every statement, and a struct
/// of this many references was copied (a retain and release per field) at each such use, over
/// half of a release build's lint time.
final class CheckContext {
    let package: PackageFacts
    let file: SourceFile
    /// Local import name → import path.
    let imports: [String: String]
    let unit: FunctionUnit
    /// Every function of the file, to name the innermost one around a position.
    let units: [FunctionUnit]
    var findings: [LintFinding] = []

    init(package: PackageFacts, file: SourceFile, imports: [String: String], unit: FunctionUnit, units: [FunctionUnit]) {
        self.package = package
        self.file = file
        self.imports = imports
        self.unit = unit
        self.units = units
    }

    /// The innermost function whose body contains `offset` (a goroutine's literal, say).
    func functionName(at offset: Int32) -> String {
        var best = unit
        for candidate in units where candidate.body.lbrace <= offset && offset <= candidate.body.rbrace {
            if candidate.body.lbrace >= best.body.lbrace && candidate.body.rbrace <= best.body.rbrace { best = candidate }
        }
        return best.name
    }

    /// `(path, name)` when `e` is `pkg.Name` for an imported package.
    func packageMember(_ e: Expr) -> (path: String, name: String)? {
        guard case .selector(.ident(let x), let selected) = e, let path = imports[x.name] else { return nil }
        return (path, selected.name)
    }

    /// The names of the unit's parameters declared as `path.name` (`ctx context.Context`).
    func parameters(ofType path: String, _ name: String) -> Set<String> {
        var names = Set<String>()
        for field in unit.type.params {
            guard let member = packageMember(field.type.unparenthesized), member.path == path, member.name == name else { continue }
            for n in field.names { names.insert(n.name) }
        }
        return names
    }

    /// Whether `call` calls `path.name` for one of `names`.
    func calls(_ call: Call, _ path: String, _ names: Set<String>) -> Bool {
        guard let member = packageMember(call.fun) else { return false }
        return member.path == path && names.contains(member.name)
    }

    /// `lowConfidence`: why this shape may hold nothing (the finding is then `low`, see `Confidence`);
    /// `lowIfRunsOnce`: the note of a finding that is `low` when the context's function runs once
    /// per process (`RunsOnce`); `lowIfMakersTimed`: other packages' functions (`path.Name`) and
    /// the note of a finding that is `low` when each of them is a timed client maker
    /// (`BodyClose.exportedTimedMakers`, settled by `LintSession.finish`).
    func report(_ check: Check, at offset: Int32, _ message: String, related: [Int32] = [], relatedText: String = "",
                lowConfidence: String? = nil, lowIfRunsOnce: String? = nil, onceOnlyAtProcessEnd: Bool = false,
                lowIfMakersTimed: LintFinding.PendingMakers? = nil, lowIfErrorEndsProcess: Bool = false) {
        let (line, column) = file.position(of: offset)
        let extra = related.map { offset -> String in
            let (l, _) = file.position(of: offset)
            return "\(file.path):\(l): \(relatedText)"
        }
        var finding = LintFinding(check: check, message: message, file: file.path, line: line, column: column,
                                  function: functionName(at: offset), lineText: file.lineText(line), related: extra)
        if lowConfidence == nil { finding.pendingMakers = lowIfMakersTimed }
        if lowConfidence == nil, lowIfErrorEndsProcess, !unit.isLiteral { pendErrorExit(&finding) }
        append(finding, at: offset, lowConfidence: lowConfidence, lowIfRunsOnce: lowIfRunsOnce,
               onceOnlyAtProcessEnd: onceOnlyAtProcessEnd)
    }

    /// A finding in another function of the package (`in`, possibly another file), named `function`;
    /// `related` offsets are in this context's file.
    func report(_ check: Check, in other: SourceFile, function: String, at offset: Int32, _ message: String,
                         related: [Int32] = [], relatedText: String = "", lowConfidence: String? = nil,
                         lowIfRunsOnce: String? = nil, lowIfErrorEndsProcess: Bool = false) {
        let (line, column) = other.position(of: offset)
        let extra = related.map { offset -> String in
            let (l, _) = file.position(of: offset)
            return "\(file.path):\(l): \(relatedText)"
        }
        var finding = LintFinding(check: check, message: message, file: other.path, line: line, column: column,
                                  function: function, lineText: other.lineText(line), related: extra)
        if lowConfidence == nil, lowIfErrorEndsProcess, !unit.isLiteral { pendErrorExit(&finding) }
        append(finding, at: related.first ?? unit.body.lbrace, lowConfidence: lowConfidence, lowIfRunsOnce: lowIfRunsOnce)
    }

    /// The `RunsOnce` node of the declared function that runs this unit once per call: the unit
    /// itself, or for a literal, the declared function it is written in when the literal is
    /// started, called or deferred where it is written, outside loops, labels and `goto`
    /// (`OnceDo.runsOnceWithin`): `go func() { for v := range ch {…} }()` in a constructor that
    /// `main` calls once is one goroutine per process.
    private var onceNode: Int? {
        guard unit.isLiteral else { return package.onceNodes[unit.name] }
        guard let declared = declaringUnit, OnceDo.runsOnceWithin(unit.body.lbrace, declared.body) else { return nil }
        return package.onceNodes[declared.name]
    }

    /// Marks `finding` as `low` if the unit's errors end the process: by its `RunsOnce` node, or
    /// for a function of a test file, by name until the package's test files are indexed
    /// (`LintSession.add`; only packages with such a finding pay for that).
    private func pendErrorExit(_ finding: inout LintFinding) {
        if RunsOnce.isTestFile(file) || package.path.hasSuffix("_test") {
            finding.pendingErrorExitTest = unit.name
        } else {
            finding.pendingErrorExit = package.onceNodes[unit.name]
        }
    }

    /// For a literal, the declared function or method it is written in; nil for a declared unit.
    var declaringUnit: FunctionUnit? {
        guard unit.isLiteral else { return nil }
        return units.first { !$0.isLiteral && $0.body.lbrace < unit.body.lbrace && unit.body.rbrace < $0.body.rbrace }
    }

    /// Records `finding`, `low` with that reason when `lowConfidence` is given, pending the
    /// session's answer when `lowIfRunsOnce` is, `low` when that is given and `position` (an
    /// offset in this context's file: the finding's, or in another file's case the first related
    /// one) lies in a suite's setup, under a package-level `sync.Once` or in an application's
    /// start or stop hook.
    private func append(_ finding: LintFinding, at position: Int32, lowConfidence: String?, lowIfRunsOnce: String?,
                        onceOnlyAtProcessEnd: Bool = false) {
        var finding = finding
        finding.pendingUnreferenced = unit.isLiteral ? declaringUnit.flatMap { package.onceNodes[$0.name] } : package.onceNodes[unit.name]
        if let lowConfidence {
            finding.confidence = .low
            finding.confidenceNote = lowConfidence
        } else if let lowIfRunsOnce, let node = onceNode {
            finding.pendingOnce = LintFinding.PendingOnce(node: node, note: lowIfRunsOnce, onlyAtProcessEnd: onceOnlyAtProcessEnd)
        } else if lowIfRunsOnce != nil, SuiteSetup.encloses(position, in: file, imports: imports) {
            finding.confidence = .low
            finding.confidenceNote = SuiteSetup.note
        } else if lowIfRunsOnce != nil, OnceDo.encloses(position, in: file, package: package) {
            finding.confidence = .low
            finding.confidenceNote = OnceDo.note
        } else if lowIfRunsOnce != nil, LifecycleHooks.encloses(position, in: file, imports: imports) {
            finding.confidence = .low
            finding.confidenceNote = LifecycleHooks.note
        }
        findings.append(finding)
    }
}

/// Answers computed once per package on first use (the package's checks run on one thread).
final class Memo<Value> {
    var byKey: [String: Value] = [:]
}

/// Facts about a whole package that checks consult: channels closed somewhere, declared functions.
struct PackageFacts {
    /// Final names of every `close(x)` argument in the package (`ch`, `done` for `s.done`).
    var closedNames: Set<String> = []
    /// Final names of selector expressions passed as call arguments (`p.Send(x.ch)` → `ch`):
    /// a field handed to another function may be closed there.
    var passedNames: Set<String> = []
    /// Final names of fields set from a call's result (`valueCh: d.Stream()`, `x.ch = open()`,
    /// `x.ch, err = src.Subscribe()`; not `make`), from a parameter (`inbox: inbox`) or from another value's exported field
    /// (`events: w.Events`, fsnotify's channel, closed by its watcher's Close): whoever made the
    /// channel owns it and may close it.
    var fromCalls: Set<String> = []
    /// Declared functions by name (not methods), for following `go f()` to a body.
    var functions: [String: FuncDecl] = [:]
    /// The file each of `functions` is declared in (a finding in the callee is reported there).
    var functionFiles: [String: SourceFile] = [:]
    /// Methods of the package's named types by `T.m` (receiver `T` or `*T`, not generic), for
    /// following `go x.m()` to a body.
    var methods: [String: (decl: FuncDecl, file: SourceFile)] = [:]
    /// Struct field name → declared type, for names declared with one type only in the package's
    /// top-level type declarations.
    var fieldTypes: [String: Expr] = [:]
    /// The file each of `fieldTypes` is declared in, for the imports its type names.
    var fieldTypeFiles: [String: SourceFile] = [:]
    /// The fields of the package's top-level struct types: type name → field name → declared type.
    var structFields: [String: [String: Expr]] = [:]
    /// Field names of struct types declared inside functions or written in place (a test's
    /// table `[]struct{ entries []Entry }`): `tt.entries` may be one of those, whatever
    /// `fieldTypes` says of the name.
    var localFields: Set<String> = []
    var path: String
    /// Before Go 1.23 unreferenced, unstopped timers and tickers are never collected; LS002 and
    /// LS009 only apply to modules that say `go 1.22` or older.
    var timersLeak: Bool
    /// The package's `httptest` servers and whether their handlers write a body (LS004).
    var servers = BodilessServers()
    /// `LockRelease.releasingMethods` answers, shared by every function of the package.
    let releasingMethods = Memo<Set<String>>()
    /// `LocalMuxes.scan` of each declaration that has an unclosed response, by file and position.
    let localMuxes = Memo<LocalMuxes.Scan>()
    /// `BodyClose.fieldClientTimesOut` answers by field name.
    let timedClientFields = Memo<Set<String>?>()
    /// `BodyClose.madeByTimedMaker` answers by function name.
    let timedClientMakers = Memo<Bool>()
    /// `NilChannels.setFields`: names of fields the package's code sets anywhere.
    let setFields = Memo<Set<String>>()
    /// `OnceDo.onceVariables`, filled by `LintSession.add` before the checks run.
    let onceVariables = Memo<Set<String>>()
    /// The package's files, for facts read on first use (`BodyClose.fieldClientTimesOut`).
    let files: [SourceFile]
    /// Each file's imports (`Lint.imports`) by path, read once for the checks and `RunsOnce`.
    let importsByFile: [String: [String: String]]
    /// `RunsOnce` nodes of the package's declared functions, by runtime name.
    var onceNodes: [String: Int] = [:]
    /// Package-level `const name = value` with one name per value, and unexported `var name = value`
    /// that nothing in the package assigns again or takes the address of, for `ConstantDurations`.
    var constants: [String: Expr] = [:]

    init(_ package: GoPackage) {
        path = package.path
        files = package.files
        importsByFile = Dictionary(package.files.compactMap { file in file.syntax.map { (file.path, Lint.imports($0)) } },
                                   uniquingKeysWith: { a, _ in a })
        timersLeak = (package.goMinor ?? 99) < 23
        var ambiguous = Set<String>()
        var variables: [String: Expr] = [:]
        // Names assigned with `=`, `op=`, `++`/`--` or whose address is taken anywhere in the package.
        var reassigned = Set<String>()
        for file in package.files {
            guard let syntax = file.syntax else { continue }
            for decl in syntax.decls {
                switch decl {
                case .function(let f):
                    if f.receiver == nil {
                        functions[f.name.name] = f
                        functionFiles[f.name.name] = file
                    } else if let key = Self.declarationKey(f) {
                        methods[key] = (f, file)
                    }
                    if let body = f.body {
                        let params = Set((f.receiver.map { [$0] } ?? []).flatMap(\.names).map(\.name)
                                         + f.type.params.flatMap(\.names).map(\.name))
                        let handed = params.union(Self.localsFromCalls(body.statements))
                        let receiver = f.receiver?.names.first?.name
                        for s in body.statements { collectFacts(s, parameters: handed, receiver: receiver, reassigned: &reassigned) }
                    }
                case .gen(let g):
                    for spec in g.specs {
                        if case .type(let name, _, _, let type) = spec {
                            collectFields(type, file, &ambiguous)
                            if case .structType(let fields, _) = type {
                                for field in fields { for n in field.names { structFields[name.name, default: [:]][n.name] = field.type } }
                            }
                        }
                        if case .value(let names, _, let values) = spec {
                            for v in values { collectFacts(.expr(v), reassigned: &reassigned) }
                            if names.count == values.count {
                                for (name, value) in zip(names, values) {
                                    if g.keyword == .kwConst { constants[name.name] = value }
                                    if g.keyword == .kwVar, name.name.first?.isLowercase == true { variables[name.name] = value }
                                }
                            }
                        }
                    }
                }
            }
        }
        for (name, value) in variables where !reassigned.contains(name) && constants[name] == nil {
            constants[name] = value
        }
        servers = BodilessServers(package, imports: importsByFile, functions: functions, functionFiles: functionFiles,
                                  methods: methods)
    }

    private mutating func collectFields(_ type: Expr, _ file: SourceFile, _ ambiguous: inout Set<String>) {
        guard case .structType(let fields, _) = type else { return }
        for field in fields {
            for name in field.names {
                if ambiguous.contains(name.name) { continue }
                if fieldTypes[name.name] != nil {
                    fieldTypes[name.name] = nil
                    fieldTypeFiles[name.name] = nil
                    ambiguous.insert(name.name)
                } else {
                    fieldTypes[name.name] = field.type
                    fieldTypeFiles[name.name] = file
                }
            }
        }
    }

    /// The file's imports (`Lint.imports`).
    func imports(of file: SourceFile) -> [String: String] { importsByFile[file.path] ?? [:] }

    /// `f` for a function, `T.m` for a method of `T` (`methods`' and `RunsOnce`'s keys).
    static func declarationKey(_ f: FuncDecl) -> String? {
        guard let receiver = f.receiver else { return f.name.name }
        return receiverTypeName(receiver.type).map { $0 + "." + f.name.name }
    }

    /// `T` for a receiver or variable of type `T`, `*T` or a generic instantiation `T[A, B]`
    /// (a plain name: not another package's).
    static func receiverTypeName(_ type: Expr) -> String? {
        var t = type.unparenthesized
        if case .star(let inner, _) = t { t = inner.unparenthesized }
        // A generic type's instantiation (`client[K, V]`, `*list[T]`): its name.
        if case .index(let generic, _, _) = t { t = generic.unparenthesized }
        return t.identName
    }

    /// The locals of a function body every assignment of which takes a call's result (`peers,
    /// err := initDiscovery(…)`, not `make` or `new`): a channel held there was made by the callee,
    /// which owns it, as one held in a parameter was made by the caller (edgemesh's discovery
    /// channels, stored in a struct literal from such locals).
    static func localsFromCalls(_ body: [Stmt]) -> Set<String> {
        var fromCall = Set<String>(), other = Set<String>()
        for statement in body {
            Walk.statements(statement, intoFuncLits: false, { st in
                switch st {
                case .assign(let lhs, _, let rhs, _):
                    let names = lhs.map { $0.unparenthesized.identName }
                    func record(_ n: String?, _ r: Expr) {
                        guard let n else { return }
                        if isResultOfCall(r) { fromCall.insert(n) } else { other.insert(n) }
                    }
                    if rhs.count == 1, lhs.count > 1 {
                        for n in names { record(n, rhs[0]) }
                    } else if lhs.count == rhs.count {
                        for (n, r) in zip(names, rhs) { record(n, r) }
                    }
                case .rangeStmt(let key, let value, _, _, _, _):
                    for n in [key, value].compactMap({ $0?.unparenthesized.identName }) { other.insert(n) }
                case .decl(let d):
                    for case .value(let declared, _, _) in d.specs { for n in declared { other.insert(n.name) } }
                default: break
                }
                return true
            }, { _ in true })
        }
        return fromCall.subtracting(other).subtracting(["_"])
    }

    static func isResultOfCall(_ e: Expr) -> Bool {
        guard case .call(let c) = e.unparenthesized else { return false }
        return c.fun.identName != "make" && c.fun.identName != "new"
    }

    /// Records what statement `s` tells about the package: closed channels, fields passed to calls
    /// or set from calls, the field names of struct types declared or written inside it
    /// (`localFields`), and (into `reassigned`) names assigned again or whose address is taken.
    /// `parameters`: the enclosing function's parameter names and the locals it sets only from
    /// calls' results (`localsFromCalls`); a field set from one holds a channel the caller or the
    /// callee made and owns (`inbox: inbox`), as one set from a call's result does.
    private mutating func collectFacts(_ s: Stmt, parameters: Set<String> = [], receiver: String? = nil,
                                       reassigned: inout Set<String>) {
        func handedIn(_ r: Expr) -> Bool {
            // Another value's exported field (`events: fsw.Events`): a channel of a type that
            // closes it itself, often in another package. Not `h.queue`, a field of this package.
            if case .selector(_, let field) = r.unparenthesized, field.name.first?.isUppercase == true { return true }
            return Self.isResultOfCall(r) || r.unparenthesized.identName.map(parameters.contains) == true
        }
        Walk.statements(s, { st in
            if case .assign(let lhs, let op, _, _) = st, op != .define {
                for l in lhs { if let name = l.unparenthesized.identName { reassigned.insert(name) } }
            }
            if case .incDec(let x, _) = st, let name = x.unparenthesized.identName { reassigned.insert(name) }
            if case .assign(let lhs, _, let rhs, _) = st, lhs.count == rhs.count {
                for (l, r) in zip(lhs, rhs) where handedIn(r) {
                    if case .selector = l.unparenthesized, let name = Lint.finalName(l) { fromCalls.insert(name) }
                }
            }
            // `c.events, err = src.Subscribe(ctx)`: every result of the call is the callee's
            // (ptcpdump's capturer ranges over channels its BPF package makes and closes). Only a
            // method of another value: not the package's own function, a literal called on the
            // spot or a method of the receiver, whose channel the package itself makes.
            if case .assign(let lhs, _, let rhs, _) = st, lhs.count > 1, rhs.count == 1, Self.isResultOfCall(rhs[0]),
               case .call(let call) = rhs[0].unparenthesized, case .selector(let base, _) = call.fun.unparenthesized,
               base.unparenthesized.identName.map({ $0 != receiver }) ?? true {
                for l in lhs {
                    if case .selector = l.unparenthesized, let name = Lint.finalName(l) { fromCalls.insert(name) }
                }
            }
            if case .decl(let g) = st {
                for spec in g.specs { if case .type(_, _, _, let type) = spec { insertLocalFields(of: type) } }
            }
            return true
        }, { x in
            if case .structType = x { insertLocalFields(of: x) }
            if case .unary(.and, let operand, _) = x, let name = operand.unparenthesized.identName { reassigned.insert(name) }
            if case .call(let call) = x, case .ident(let f) = call.fun, f.name == "close", call.args.count == 1,
               let name = Lint.finalName(call.args[0]) {
                closedNames.insert(name)
            }
            if case .keyValue(let key, let value, _) = x, let name = key.identName, handedIn(value) {
                fromCalls.insert(name)
            }
            if case .call(let call) = x {
                for argument in call.args {
                    if case .selector = argument.unparenthesized, let name = Lint.finalName(argument) { passedNames.insert(name) }
                }
            }
            return true
        })
    }

    private mutating func insertLocalFields(of type: Expr) {
        guard case .structType(let fields, _) = type else { return }
        for field in fields { for name in field.names { localFields.insert(name.name) } }
    }
}

/// Runs checks over loaded packages.
public struct Linter: Sendable {
    /// The checks to run.
    public var checks: [Check]

    public init(checks: [Check] = Checks.all) { self.checks = checks }

    /// Each check's implementation, by ID: the one table that ties a `Check` to its code.
    static let runners: [String: @Sendable (CheckContext) -> Void] = [
        Checks.abandonedSend.id: AbandonedSend.run,
        Checks.tickerNotStopped.id: TickerCheck.run,
        Checks.lostCancel.id: LostCancel.run,
        Checks.bodyNotClosed.id: BodyClose.run,
        Checks.endlessGoroutineInLoop.id: EndlessGoroutine.run,
        Checks.lockNotReleased.id: LockRelease.run,
        Checks.addInGoroutine.id: AddInGoroutine.run,
        Checks.rangeNeverClosed.id: RangeNeverClosed.run,
        Checks.timerInLoop.id: TimerInLoop.run,
    ]

    /// Findings for every package, suppressions applied, ordered by file and line.
    public func run(_ packages: [GoPackage]) -> [LintFinding] {
        var session = LintSession(self)
        for package in packages { session.add(package) }
        return session.finish()
    }

    /// Findings for one package, whose facts carry the session's `RunsOnce` nodes (findings that
    /// depend on them are answered by `LintSession.finish`).
    func run(_ package: GoPackage, facts: PackageFacts) -> [LintFinding] {
        let runners = checks.compactMap { Self.runners[$0.id] }
        let byID = Dictionary(checks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [LintFinding] = []
        var found: [LintFinding] = []
        // A finding may land in another file of the package (LS001 in a `go f(ch)` callee);
        // the suppressions of the file it lands in apply.
        var suppressions: [String: Suppressions] = [:]
        for file in package.files {
            guard let syntax = file.syntax else { continue }
            suppressions[file.path] = Suppressions(file)
            let imports = facts.imports(of: file)
            let units = Lint.units(syntax, packagePath: package.path)
            // Code after an unconditional `t.Skip(…)` never runs: nothing found there counts.
            let skipped = units.compactMap { unit -> ClosedRange<Int>? in
                guard let skip = Lint.unconditionalSkip(unit) else { return nil }
                return file.position(of: skip).line...file.position(of: unit.body.rbrace).line
            }
            for unit in units {
                let context = CheckContext(package: facts, file: file, imports: imports, unit: unit, units: units)
                for run in runners { run(context) }
                found += context.findings.filter { f in f.file != file.path || !skipped.contains { $0.contains(f.line) } }
            }
        }
        // One finding per place and check: a `go f(ch)` callee's send is reached from every caller.
        var places = Set<String>()
        let unique = Set(found).sorted { ($0.file, $0.line, $0.column, $0.message) < ($1.file, $1.line, $1.column, $1.message) }
            .filter { places.insert("\($0.check.id) \($0.file):\($0.line):\($0.column)").inserted }
        for var finding in unique where suppressions[finding.file]?.suppresses(finding) != true {
            // Checks report with their defaults; the configured check (severity) wins.
            if let configured = byID[finding.check.id] { finding.check = configured }
            out.append(finding)
        }
        return out
    }
}

/// A lint run over packages that stream past one at a time (memory stays bounded by the largest
/// package): findings that depend on the whole program (`RunsOnce`) are settled at `finish`.
public struct LintSession {
    let linter: Linter
    var once = RunsOnce()
    var findings: [LintFinding] = []
    /// Every linted package's exported timed client makers (`BodyClose.exportedTimedMakers`).
    var timedMakers = Set<String>()

    public init(_ linter: Linter) { self.linter = linter }

    /// Checks one package.
    public mutating func add(_ package: GoPackage) {
        var facts = PackageFacts(package)
        let onceVariables = OnceDo.onceVariables(facts)
        facts.onceVariables.byKey[""] = onceVariables
        facts.onceNodes = once.add(package, imports: facts.importsByFile, onceVariables: onceVariables)
        if !package.path.hasSuffix("_test") { timedMakers.formUnion(BodyClose.exportedTimedMakers(facts)) }
        let index = once.declared.count - 1
        var found = linter.run(package, facts: facts)
        // Findings in test helpers whose errors may end the test binary: index the test files.
        if found.contains(where: { $0.pendingErrorExitTest != nil }) {
            let units = once.addTestFiles(package, index: index, imports: facts.importsByFile)
            for i in found.indices {
                guard let unit = found[i].pendingErrorExitTest else { continue }
                found[i].pendingErrorExit = units[unit]
                found[i].pendingErrorExitTest = nil
            }
        }
        findings += found
    }

    /// Every finding, suppressions applied, ordered by file and line.
    public func finish() -> [LintFinding] {
        let pending = findings.contains { $0.pendingOnce != nil || $0.pendingErrorExit != nil }
        let runsOnce = pending ? once.solveWithoutDeadCallers(pending: Set(findings.compactMap { $0.pendingOnce?.node })) : []
        let endsProcess = pending ? once.endsProcess() : []
        let errorEnds = findings.contains { $0.pendingErrorExit != nil } ? once.errorEndsProcess(ends: endsProcess) : []
        let unreferenced = once.unreferenced(among: Set(findings.compactMap { $0.confidence == .high ? $0.pendingUnreferenced : nil }))
        return findings.map { finding in
            var settled = finding
            settled.pendingOnce = nil
            settled.pendingMakers = nil
            settled.pendingErrorExit = nil
            settled.pendingUnreferenced = nil
            if let pending = finding.pendingMakers, pending.makers.isSubset(of: timedMakers) {
                settled.confidence = .low
                settled.confidenceNote = pending.note
            } else if settled.confidence == .high, let node = finding.pendingUnreferenced, unreferenced.contains(node) {
                // Before `runsOnce`: a function only dead code calls is in that set too (it runs no time).
                settled.confidence = .low
                settled.confidenceNote = RunsOnce.unreferencedNote
            } else if let pending = finding.pendingOnce, runsOnce[pending.node], !pending.onlyAtProcessEnd {
                settled.confidence = .low
                settled.confidenceNote = pending.note
            } else if let pending = finding.pendingOnce, endsProcess[pending.node] {
                settled.confidence = .low
                settled.confidenceNote = ExitTails.note
            } else if settled.confidence == .high, let node = finding.pendingErrorExit, errorEnds[node] {
                settled.confidence = .low
                settled.confidenceNote = ErrorExits.note
            }
            return settled
        }.sorted(by: LintFinding.ordered)
    }
}

/// `//leakscope:ignore LS003[,LS004] reason` on the finding's line or the line above it.
struct Suppressions {
    var byLine: [Int: Set<String>] = [:]

    init(_ file: SourceFile) {
        for comment in file.comments {
            let text = file.text(of: comment)
            guard text.hasPrefix("//leakscope:ignore") else { continue }
            let rest = text.dropFirst("//leakscope:ignore".count).split(separator: " ", omittingEmptySubsequences: true)
            guard let ids = rest.first else { continue }
            let line = file.position(of: comment.start).line
            let set = Set(ids.split(separator: ",").map { $0.uppercased() })
            byLine[line, default: []].formUnion(set)
        }
    }

    func suppresses(_ finding: LintFinding) -> Bool {
        for line in [finding.line, finding.line - 1] {
            if let ids = byLine[line], ids.contains(finding.check.id) || ids.contains("ALL") { return true }
        }
        return false
    }
}
