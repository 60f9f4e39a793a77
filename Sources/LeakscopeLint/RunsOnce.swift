import LeakscopeGoSource
import LeakscopeGoSymbols

/// Which declared functions of the linted packages run at most once per process, found package
/// by package as they stream past (`add`) and answered when all are seen (`solve`): `main.main`,
/// `init` functions, commands' handlers (`Lint.isCommandHandler`, declared or a literal such
/// as cobra's `RunE: func(…) error {…}`), functions that would panic if run twice
/// (`ProcessRegistries`), and functions every caller of which is one of those,
/// calling outside loops. A goroutine stranded, or a response held,
/// there is one, not a growing number (dolt's `Exec` commands, reached from `runMain` through
/// its command table; concourse's `fly login` helpers; docs/LINT.md, session 17).
///
/// Calls are resolved by name, without types, and over-approximate who calls what, which only
/// ever keeps a function out of the set: `f(…)` is the package's `f`; `pkg.F(…)` the imported
/// package's `F` when it is linted too; `x.M(…)` every method named `M` with a matching number
/// of parameters (`x.M` with `x` a local is a method even when a package is imported as `x`). A
/// function handed to a linted function's parameter runs where that parameter is called, followed
/// through functions that hand it on (flyctl's `command.New(…, run)` hands `run` to the handler
/// literal `newRunE` builds, so `run` runs once). A function is otherwise never in the set when it
/// is used as a value (`mux.HandleFunc(p, s.handle)`, `RunE: run`, a parameter stored, returned
/// or handed to code not linted: it may be called any number of times), when something outside the
/// linted code may call it (an exported name of a package that is neither `main`, `internal/…`
/// nor under a `cmd/` directory, unless the linted code holds an application's `main`,
/// `isApplicationMain`: a program's packages are its own, so estuary's `commp.NewManager`,
/// which its `main` calls once, starts one worker per process; a method named like one the
/// standard library calls through an interface, `ServeHTTP`, `Read`, `Close`…, but for the
/// `Start`, `Run`, `Stop`, `Serve` and `Execute` of a type no interface value can hold,
/// `ConfinedTypes`), or when nothing seen calls it. A call in a loop, or
/// in a function literal that is not run on the spot (`func(){…}()`, `go func(){…}()`), counts
/// as many calls, but not one whose result the function returns (`for … { if … { return
/// h.run(…) } }` runs it once); so does every call in a function with a `goto`, and a function on a
/// cycle of calls (itself, `dial` → `redial` → `dial`, or handed to a helper that calls it back)
/// is never in the set (code review, session 25). A literal handed to `g.Go(…)` (errgroup) runs
/// once per call, as one started with `go`; one handed to a package-level `sync.Once`'s `Do`
/// (`OnceDo`) runs once per process, as a command's handler does. Test files are not read: a
/// test calling a command's code in a loop does not change how often the command runs.
struct RunsOnce {
    /// Method names the standard library calls through its interfaces (and `error`, `fmt.Stringer`),
    /// and common ones frameworks do: a visible call is never the only one.
    static let interfaceMethods: Set<String> = [
        "ServeHTTP", "RoundTrip", "Read", "Write", "Close", "ReadFrom", "WriteTo", "ReadAt", "WriteAt", "Seek",
        "ReadByte", "ReadRune", "WriteString", "Flush", "Len", "Less", "Swap", "Push", "Pop", "String",
        "GoString", "Error", "Unwrap", "Is", "As", "Format", "MarshalJSON", "UnmarshalJSON", "MarshalText",
        "UnmarshalText", "MarshalBinary", "UnmarshalBinary", "Scan", "Value", "Accept", "Addr", "Dial",
        "DialContext", "Lock", "Unlock", "RLock", "RUnlock", "Deadline", "Done", "Err", "Serve", "Handle",
        "Run", "Start", "Stop", "Execute", "Next", "Get", "Set", "Do",
    ]

    /// The names of `interfaceMethods` that start or stop a component, asked about on confined
    /// types (`ConfinedTypes`): a daemon's `Start` or `Run` is where a once-per-process goroutine
    /// is stranded; `String` or `Len` never is, and leaving them out keeps the search small.
    static let lifecycleMethods: Set<String> = ["Run", "Start", "Stop", "Serve", "Execute"]

    static func isTestFile(_ file: SourceFile) -> Bool { file.path.hasSuffix("_test.go") }

    /// Directory names under which a library keeps programs of its own that are not the product:
    /// code generators, build and release helpers, test harnesses.
    static let toolDirectories: Set<String> = [
        "hack", "tools", "scripts", "script", "gen", "generate", "codegen", "internal-tools",
        "test", "tests", "e2e", "testing", "testutil", "integration", "benchmark", "benchmarks", "bench", "fuzz",
    ]

    /// Whether `main`, a `main` package, makes the linted module an application: not an
    /// example's (`ExitTails.isExample`), not under one of `toolDirectories` of its module (a
    /// package outside a module is a program of its own).
    static func isApplicationMain(_ main: GoPackage) -> Bool {
        !ExitTails.isExample(directory: main.directory) && !inToolDirectory(main)
    }

    /// Whether `package` lies under one of `toolDirectories` of its module.
    static func inToolDirectory(_ package: GoPackage) -> Bool {
        (package.directoryInModule ?? "").split(separator: "/").contains { toolDirectories.contains($0.lowercased()) }
    }

    /// Whether no package outside the module's own tree may import the package at `path`: an
    /// `internal` element, or one under a `cmd/` directory.
    static func isClosedPath(_ path: String) -> Bool {
        path.split(separator: "/").contains { $0 == "internal" || $0 == "cmd" }
    }

    /// The handlers a CNI plugin's `main` hands to the CNI library's `skel` (`skel.PluginMain(cmdAdd,
    /// cmdCheck, cmdDel, …)`, `PluginMainWithError`, `PluginMainFuncs(skel.CNIFuncs{Add: cmdAdd,
    /// …}, …)`, `PluginMainFuncsWithError`): the container runtime executes the plugin once per
    /// operation and `skel` calls one handler, then the process exits (merbridge's `CmdAdd`,
    /// session 38's second clean pass). Nil for any other call.
    static func cniHandlers(_ c: Call, imports: [String: String], locals: Set<String>) -> [Expr]? {
        guard case .selector(.ident(let x), let f) = c.fun.unparenthesized, !locals.contains(x.name),
              imports[x.name] == "github.com/containernetworking/cni/pkg/skel", f.name.hasPrefix("PluginMain") else { return nil }
        if f.name.hasPrefix("PluginMainFuncs") {
            guard case .compositeLit(_, let elements, _, _)? = c.args.first?.unparenthesized else { return [] }
            return elements.compactMap { element in
                if case .keyValue(_, let value, _) = element { return value }
                return nil
            }
        }
        return Array(c.args.prefix(3))
    }

    /// The literal of `g.Go(func() error {…})` on a local group (`Declarations.groups`): errgroup's,
    /// sync.WaitGroup's (Go 1.25) and conc's `Go` run the function they are handed exactly once,
    /// on a goroutine of their own, so the literal runs as often as the call does, like
    /// `go func() {…}()` (charon's `test peers` command runs each test group under `group.Go`).
    static func goLiteral(_ c: Call, groups: Set<String>) -> Block? {
        guard c.args.count == 1, case .selector(.ident(let g), let method) = c.fun.unparenthesized, method.name == "Go",
              groups.contains(g.name), case .funcLit(_, let body) = c.args[0].unparenthesized else { return nil }
        return body
    }

    /// The opening of every note of a finding that is `low` because its function is in the set.
    static let reason = "the function runs once per process (it is main, an init, a command's handler or a function a second run of which would panic in a process-wide registry, or every caller seen is one of those, outside loops)"


    /// One declared function or method.
    struct Node {
        /// Nothing outside the linted packages can call it, so the calls seen are all its calls.
        var closedWorld: Bool
        /// Exported by an importable package and not named like an interface's method: closed to
        /// the world after all when the linted code is an application (`applicationSeen`).
        var closedInApplication = false
        /// `main.main`, `init`, a command's handler.
        var isRoot: Bool
        var parameters: Int
        var variadic: Bool
        var escapes = false
        /// Callers, and whether a caller may call it more than once per run of the caller.
        var callers: [(node: Int, many: Bool)] = []
        /// Called from a package-level variable's initialiser (once, at start-up).
        var calledAtInit = false
        /// `main.main` of a program other than an example: the process ends when it returns
        /// (`ExitTails`).
        var endsAtReturn = false
        /// Declared in a test file: only `errorEndsProcess` asks about it (`addTestFiles`).
        var inTest = false
        /// A method, which code outside the linted packages may call through an interface.
        var isMethod = false
        /// The function's or method's own name, for `unreferenced`.
        var name = ""
        /// Nothing but the code seen could call it when nothing seen names it (`unreferenced`):
        /// a plain function (not an exported one of `main`, which a plugin may look up by name),
        /// or a method of unexported name, in a file without `//export` or `//go:linkname`.
        var callableOnlyBySeenCode = false
        /// Index of its package in `packageDirectories`.
        var package = 0
        /// Its file in `nodeFiles` and the byte range of its body there (`unreferenced` ignores
        /// what the bodies of functions nothing reaches name).
        var file: Int32 = -1
        var body: Range<Int32> = 0..<0
    }

    /// What a call or a function value names before every package is seen.
    enum Target: Hashable {
        case node(Int)
        /// `pkg.F` of an imported package, by import path.
        case imported(path: String, name: String)
        /// `x.m(…)`: every method named `m` taking that many arguments (`spread`: any number).
        case method(name: String, arguments: Int, spread: Bool)
        /// `T.m(r, …)` or `(*T).m(r, …)`, a method expression called with its receiver first, or
        /// `v.m(…)` on a package-level `v` (the call does not say which): every method named `m`
        /// taking that many arguments or one fewer.
        case methodExpression(name: String, arguments: Int)
    }

    /// A call (or, `escape`, a use as a value) seen in `caller` (nil: a package-level initialiser).
    struct Site: Hashable {
        var caller: Int?
        var target: Target
        var many: Bool
        var escape: Bool
        /// One of the calls the caller makes last (`ExitTails.calls`).
        var tail = false
        /// What the caller does with the call's error (`ErrorExits.handling`); a `return` counts
        /// only in the caller's own body, not in a literal it runs.
        var onError: ErrorExits.Handling? = nil
    }

    /// `f(…, v, …)`: function value `v` handed to parameter `index` of `to`, from `caller`.
    struct Pass: Hashable {
        var caller: Int?
        var value: Target
        var to: Target
        var index: Int
        var many: Bool
    }

    /// One use of parameter `index` of declared function `owner`.
    struct ParameterUse: Hashable {
        enum Effect: Hashable {
            /// `p(…)` in the function's own body (`inHandler`: in a command's handler literal it
            /// builds, or the function is a root itself).
            case call(inHandler: Bool, many: Bool)
            /// `g(…, p, …)`: handed on to parameter `index` of `to`.
            case forward(to: Target, index: Int, many: Bool)
            /// Stored, returned, sent, handed to code not linted: it may run any number of times.
            case escape
        }
        var owner: Int
        var index: Int
        var effect: Effect
    }

    /// Starts with the node standing for commands' handler literals (`handlers`).
    var nodes = [Node(closedWorld: true, isRoot: true, parameters: 0, variadic: false, endsAtReturn: true)]
    /// A `main` package other than an example's or a tool's (`isApplicationMain`) is linted: the
    /// module is a program, not a library other modules import, so its exported functions are
    /// called only where it calls them.
    var applicationSeen = false
    /// Per package seen: declared function `f` or method `T.m` → node.
    var declared: [[String: Int]] = []
    var methodsByName: [String: [Int]] = [:]
    /// A command tree's `Execute` is called in a loop or a function literal somewhere outside a
    /// test harness (`inToolDirectory`): a command's return may not end the process (an
    /// interactive shell), so its handler literals do not (`endsProcess`), and they may run more
    /// than once (`solve`).
    var commandsRunInLoop = false
    /// The other methods (named like an interface's method, `interfaceMethods`), asked about
    /// only by `endsProcess`.
    var openMethodsByName: [String: [Int]] = [:]
    var packagesByPath: [String: Int] = [:]
    /// Deduplicated per file (a caller's declaration lies in one file), which is where repeats are.
    var sites: [Site] = []
    /// Function values handed to a linted function's parameter, and what functions do with their
    /// parameters: the value runs where the parameter is called (`command.New(…, run)`).
    var passes: [Pass] = []
    var parameterUses: [ParameterUse] = []
    /// Lifecycle methods of confined types (`ConfinedTypes`) in importable packages, with the
    /// exported names (the type, its makers) through which another package could take a value
    /// out: when a linted package names one, those methods are open to the world after all.
    var confinedExports: [(path: String, names: Set<String>, nodes: [Int])] = []
    /// Per import path of a closed package, the exported names other packages' files write after
    /// its import name (`cmd.Execute`, `daemons.NewKeeper`).
    var memberMentions: [String: Set<String>] = [:]
    /// Calls made in test files, and function values handed on there: only `errorEndsProcess`
    /// reads them, for functions of test files (`addTestFiles`).
    var testSites: [Site] = []
    var testPasses: [Pass] = []
    /// The roots of the linted modules, as the loader spells paths: `unreferenced` looks for
    /// names in every file under them (made canonical only then, when a finding asks).
    var moduleRoots = Set<String>()
    /// The path, as loaded, of each file declaring a node.
    var nodeFiles: [String] = []
    /// Per package seen (as `declared`), its directory and import path.
    var packageDirectories: [(directory: String, path: String)] = []
    /// The node standing for commands' handler literals (`RunE: func(cmd *cobra.Command, args
    /// []string) error {…}`): they run once per process, whichever function builds them.
    static let handlers = 0

    /// Indexes one package's functions and records its calls; returns its functions' nodes by
    /// runtime name, for findings that depend on the answer (`LintFinding.pendingOnce`).
    /// `imports`: each file's imports by path (`PackageFacts.importsByFile`).
    mutating func add(_ package: GoPackage, imports importsByFile: [String: [String: String]],
                      onceVariables: Set<String>) -> [String: Int] {
        let index = declared.count
        declared.append([:])
        packageDirectories.append((package.directory, package.path))
        guard !package.path.hasSuffix("_test") else { return [:] }
        if package.name != "main" { packagesByPath[package.path] = index }
        if package.name == "main" && Self.isApplicationMain(package) { applicationSeen = true }
        let runtimePath = GoSymbol.runtimePackagePath(package.path)
        let closedPackage = package.name == "main" || Self.isClosedPath(package.path)
        var byUnit: [String: Int] = [:]
        // Types of a closed package no interface value can hold: their `Start` or `Run` is
        // called only where the package calls it.
        let confined = closedPackage
            ? ConfinedTypes.find(package.files.filter { !Self.isTestFile($0) }, methodNames: Self.lifecycleMethods) : [:]
        var lifecycleNodes: [String: [Int]] = [:]
        for file in package.files where !Self.isTestFile(file) {
            Self.recordMentions(file, imports: importsByFile[file.path] ?? [:], into: &memberMentions, own: package.path)
        }
        let files = package.files.compactMap { file in
            Self.isTestFile(file) ? nil : file.syntax.map { (file: file, syntax: $0, imports: importsByFile[file.path] ?? [:]) }
        }
        if let root = Self.moduleRoot(package) { moduleRoots.insert(root) }
        for (file, syntax, imports) in files {
            let fileIndex = Int32(nodeFiles.count)
            nodeFiles.append(file.path)
            let hiddenCallers = Self.mayBeCalledFromElsewhere(file)
            for case .function(let f) in syntax.decls {
                guard f.body != nil, let key = PackageFacts.declarationKey(f) else { continue }
                let name = f.name.name
                let unitName = Lint.runtimeName(f, runtimePackage: runtimePath)
                var closed = closedPackage || name.first?.isUppercase != true
                var closedInApplication = !closed
                if let receiver = f.receiver, Self.interfaceMethods.contains(name) {
                    let type = PackageFacts.receiverTypeName(receiver.type)
                    if Self.lifecycleMethods.contains(name), let type, confined[type] != nil {
                        lifecycleNodes[type, default: []].append(nodes.count)
                    } else {
                        closed = false
                        closedInApplication = false
                    }
                }
                let isRoot = f.receiver == nil && (name == "init" || package.name == "main" && name == "main")
                    || Lint.isCommandHandler(type: f.type, imports: imports, isLiteral: false, receiver: f.receiver, unitName: unitName)
                    || f.body.map { b in ProcessRegistries.registersOnce(b.statements, imports: imports) { Self.declarations(f, body: b, imports: imports).names } } == true
                // kardianos/service calls it once; the program's own calls count too (`solve`).
                let serviceHook = LifecycleHooks.isServiceHook(f, imports: imports)
                if serviceHook { closed = true }
                let parameters = f.type.params.reduce(0) { $0 + max(1, $1.names.count) }
                declared[index][key] = nodes.count
                byUnit[unitName] = nodes.count
                // Only candidates need their callers: a method that is neither a root nor closed
                // to the outside world is never in the set, whoever calls it.
                if f.receiver != nil && !isRoot {
                    if closed || closedInApplication || serviceHook { methodsByName[name, default: []].append(nodes.count) } else { openMethodsByName[name, default: []].append(nodes.count) }
                }
                let endsAtReturn = f.receiver == nil && package.name == "main" && name == "main" && !ExitTails.isExample(directory: package.directory)
                let exported = name.first?.isUppercase == true
                let onlySeen = !hiddenCallers && (f.receiver == nil ? !(exported && package.name == "main") : !exported)
                nodes.append(Node(closedWorld: closed, closedInApplication: closedInApplication, isRoot: isRoot,
                                  parameters: parameters, variadic: f.type.params.last?.isVariadic == true, calledAtInit: serviceHook,
                                  endsAtReturn: endsAtReturn, isMethod: f.receiver != nil, name: name,
                                  callableOnlyBySeenCode: onlySeen, package: index, file: fileIndex,
                                  body: f.body.map { $0.lbrace..<($0.rbrace + 1) } ?? 0..<0))
            }
        }
        if package.name != "main" {
            for (type, makers) in confined {
                let exported = Set(([type] + makers).filter { $0.first?.isUppercase == true })
                if !exported.isEmpty, let methods = lifecycleNodes[type] {
                    confinedExports.append((package.path, exported, methods))
                }
            }
        }
        for (_, syntax, imports) in files {
            var scanner = Scanner(declared: declared[index], imports: imports, caller: nil)
            scanner.onceVariables = onceVariables
            for decl in syntax.decls {
                switch decl {
                case .function(let f):
                    guard let body = f.body, let key = PackageFacts.declarationKey(f), let caller = declared[index][key] else { continue }
                    scanner.scan(f, body: body, node: caller, isRoot: nodes[caller].isRoot, tails: true)
                case .gen(let g):
                    scanner.caller = nil
                    scanner.owner = nil
                    scanner.parameters = [:]
                    scanner.receiverTypes = [:]
                    scanner.groups = []
                    for spec in g.specs {
                        guard case .value(_, _, let values) = spec else { continue }
                        for v in values {
                            // `var configure = func(once *sync.Once) {…}`: a literal's parameters
                            // and locals hide package names inside it.
                            scanner.locals = Self.literalNames(v)
                            scanner.value(v, loops: false, literal: false)
                        }
                    }
                }
            }
            sites.append(contentsOf: scanner.sites)
            // A test harness under `test/` running the commands again and again is not the program.
            if scanner.executesInLoop && !Self.inToolDirectory(package) { commandsRunInLoop = true }
            passes.append(contentsOf: scanner.passes)
            parameterUses.append(contentsOf: scanner.parameterUses)
        }
        return byUnit
    }

    /// The root directory of `package`'s module, as the loader spells paths (`.` for the
    /// current directory); the package's own directory outside a module.
    static func moduleRoot(_ package: GoPackage) -> String? {
        guard let inModule = package.directoryInModule, !inModule.isEmpty else { return package.directory }
        // One `..` per element of the package's place in its module (`internal/worker` linted as `.`).
        return package.directory + String(repeating: "/..", count: inModule.split(separator: "/").count)
    }

    /// Whether a function of `file` may be called by code no Go source shows: exported to C
    /// (`//export`) or a WebAssembly host (`//go:wasmexport`), or linked by name (`//go:linkname`).
    static func mayBeCalledFromElsewhere(_ file: SourceFile) -> Bool {
        ["//export ", "go:linkname", "go:wasmexport"].contains { IdentifierMentions.contains(file.bytes, Array($0.utf8)) }
    }

    /// Records, for each import of `file` that names a closed package (an `internal` or `cmd`
    /// element in its path) other than `own`, the names written after its import name and a
    /// dot, outside comments: one pass over the bytes, looking back from each dot.
    static func recordMentions(_ file: SourceFile, imports: [String: String], into mentions: inout [String: Set<String>], own: String) {
        var closed: [ArraySlice<UInt8>: String] = [:]
        for (name, path) in imports where path != own
            && isClosedPath(path) {
            closed[ArraySlice(name.utf8)] = path
        }
        guard !closed.isEmpty else { return }
        let bytes = file.bytes
        let isWordByte = GoScanner.isIdentifierByte
        var comments = CommentCursor(file)
        var i = 1
        while i < bytes.count - 1 {
            defer { i += 1 }
            guard bytes[i] == UInt8(ascii: "."), isWordByte(bytes[i - 1]), isWordByte(bytes[i + 1]) else { continue }
            var start = i - 1
            while start > 0 && isWordByte(bytes[start - 1]) { start -= 1 }
            if start > 0 && bytes[start - 1] == UInt8(ascii: ".") { continue }
            guard let path = closed[bytes[start..<i]], !comments.covers(i) else { continue }
            var end = i + 1
            while end < bytes.count && isWordByte(bytes[end]) { end += 1 }
            mentions[path, default: []].insert(String(decoding: bytes[(i + 1)..<end], as: UTF8.self))
        }
    }

    /// The names the function literals in `e` declare: parameters, results, and what their
    /// bodies declare (`:=`, `var`, a range's key and value). In a package-level command's `Run:`
    /// literal, `api := api.New(…)` makes the later `api.ListenAndServe(…)` a method call, not the
    /// imported package's function (dmsg-server's `start` command, docs/LINT.md session 34).
    static func literalNames(_ e: Expr) -> Set<String> {
        var names = Set<String>()
        Walk.expr(e, intoFuncLits: false) { x in
            guard case .funcLit(let type, let body) = x else { return true }
            for field in type.params + type.results { for n in field.names { names.insert(n.name) } }
            names.formUnion(Lint.declaredNames(body.statements))
            return false
        }
        return names
    }

    /// Each named parameter's position, counting every name (`a, b string` is two).
    static func parameterIndexes(_ type: FuncType) -> [String: Int] {
        var indexes: [String: Int] = [:]
        var position = 0
        for field in type.params {
            if field.names.isEmpty { position += 1 }
            for name in field.names {
                if name.name != "_" { indexes[name.name] = position }
                position += 1
            }
        }
        return indexes
    }

    /// Which nodes run once: the greatest set closed under "every caller is in the set and calls
    /// once", found by starting from every candidate and dropping the ones with a caller outside
    /// it until nothing changes. Cycles (a command table's `Exec` calling a sub-command's `Exec`)
    /// stay in.
    /// `dead` functions (`solveWithoutDeadCallers`) run no time at all: they stay in the set
    /// whoever calls them, and a call they make counts as one made once.
    func solve(deadCode dead: Set<Int> = []) -> [Bool] {
        var nodes = self.nodes
        // What each node calls, to re-check its callees when it drops out.
        var callees = [[Int]](repeating: [], count: nodes.count)
        // A call of `target` from `caller` (nil: a package-level initialiser, once unless `many`).
        func record(_ target: Int, caller: Int?, many: Bool) {
            let many = many && !(caller.map(dead.contains) ?? false)
            if let caller {
                nodes[target].callers.append((caller, many))
                callees[caller].append(target)
            } else if many {
                nodes[target].escapes = true
            } else {
                nodes[target].calledAtInit = true
            }
        }
        for site in sites {
            for target in resolve(site.target) {
                if site.escape {
                    nodes[target].escapes = true
                } else {
                    record(target, caller: site.caller, many: site.many)
                }
            }
        }
        // Function values handed to parameters: called where the parameter is called.
        let effects = parameterEffects()
        for pass in passes {
            let values = resolve(pass.value)
            let receivers = resolve(pass.to)
            var calls: [(caller: Int?, many: Bool)] = []
            var escapes = receivers.isEmpty
            for receiver in receivers {
                guard let index = parameterIndex(pass.index, of: receiver) else { escapes = true; continue }
                let found = effects[ParameterKey(node: receiver, index: index)] ?? []
                if found.contains(.escape) { escapes = true }
                if found.contains(.once) { calls.append((pass.caller, pass.many)) }
                if found.contains(.many) { calls.append((pass.caller, true)) }
                if found.contains(.handlerOnce) { calls.append((Self.handlers, false)) }
                if found.contains(.handlerMany) { calls.append((Self.handlers, true)) }
            }
            for value in values {
                if escapes { nodes[value].escapes = true }
                for call in calls { record(value, caller: call.caller, many: call.many) }
            }
        }
        for (i, closed) in closedWorld().enumerated() { nodes[i].closedWorld = closed }
        // An interactive shell runs its commands again and again: their handlers run many times.
        if commandsRunInLoop { nodes[Self.handlers].isRoot = false }
        var once = nodes.indices.map { i in
            let node = nodes[i]
            return dead.contains(i) || node.isRoot || node.closedWorld && !node.escapes
                && (node.callers.contains { !dead.contains($0.node) } || node.calledAtInit)
        }
        // A node drops out when one of its callers calls it more than once or drops out itself,
        // or when it lies on a cycle of calls (`dial` → `redial` → `dial`, a method calling its
        // own name through another receiver, a function handed to a helper that calls it back):
        // it may run once per turn of the cycle.
        let cyclic = Self.onCycles(callees)
        var dropped: [Int] = []
        for (i, node) in nodes.enumerated() where once[i] && !node.isRoot && !dead.contains(i)
            && (cyclic[i] || node.callers.contains(where: { $0.many || !once[$0.node] })) {
            dropped.append(i)
        }
        for i in dropped { once[i] = false }
        while let caller = dropped.popLast() {
            for callee in callees[caller] where once[callee] && !nodes[callee].isRoot && !dead.contains(callee) {
                once[callee] = false
                dropped.append(callee)
            }
        }
        return once
    }

    /// Whether nothing outside the linted code can call each node, all packages seen: a confined
    /// type another linted package names may be held as an interface there; in an application,
    /// exported functions of its importable packages are its own.
    func closedWorld() -> [Bool] {
        var closed = nodes.map(\.closedWorld)
        for export in confinedExports where !(memberMentions[export.path] ?? []).isDisjoint(with: export.names) {
            for node in export.nodes { closed[node] = false }
        }
        if applicationSeen { for i in nodes.indices where nodes[i].closedInApplication { closed[i] = true } }
        return closed
    }

    /// Whether each node lies on a cycle of `callees` (a call of itself, or a strongly connected
    /// component of more than one node), by Tarjan's algorithm without recursion.
    static func onCycles(_ callees: [[Int]]) -> [Bool] {
        let count = callees.count
        var index = [Int](repeating: -1, count: count), low = [Int](repeating: 0, count: count)
        var onStack = [Bool](repeating: false, count: count), stack: [Int] = []
        var cyclic = [Bool](repeating: false, count: count)
        var next = 0
        for root in 0..<count where index[root] < 0 {
            // Frames of (node, position in its callees).
            var frames: [(node: Int, edge: Int)] = [(root, 0)]
            index[root] = next; low[root] = next; next += 1
            stack.append(root); onStack[root] = true
            while let (v, edge) = frames.last {
                if edge < callees[v].count {
                    frames[frames.count - 1].edge += 1
                    let w = callees[v][edge]
                    if w == v { cyclic[v] = true }
                    if index[w] < 0 {
                        index[w] = next; low[w] = next; next += 1
                        stack.append(w); onStack[w] = true
                        frames.append((w, 0))
                    } else if onStack[w] {
                        low[v] = min(low[v], index[w])
                    }
                    continue
                }
                frames.removeLast()
                if let parent = frames.last?.node { low[parent] = min(low[parent], low[v]) }
                guard low[v] == index[v] else { continue }
                var component: [Int] = []
                while let w = stack.popLast() {
                    onStack[w] = false
                    component.append(w)
                    if w == v { break }
                }
                if component.count > 1 { for w in component { cyclic[w] = true } }
            }
        }
        return cyclic
    }

    struct ParameterKey: Hashable {
        var node: Int
        var index: Int
    }

    /// How a parameter's value may be called, over every use and every function it is handed on to.
    struct Effects: OptionSet, Hashable {
        let rawValue: UInt8
        /// Called once per call of its function, or any number of times.
        static let once = Effects(rawValue: 1), many = Effects(rawValue: 2)
        /// Called in a command's handler (once per process), once or more per run of the handler.
        static let handlerOnce = Effects(rawValue: 4), handlerMany = Effects(rawValue: 8)
        static let escape = Effects(rawValue: 16)
    }

    /// Each parameter's effects, forwarded uses followed to a fixed point (the sets only grow).
    func parameterEffects() -> [ParameterKey: Effects] {
        var effects: [ParameterKey: Effects] = [:]
        var forwards: [(from: ParameterKey, to: Target, index: Int, many: Bool)] = []
        for use in parameterUses {
            let key = ParameterKey(node: use.owner, index: use.index)
            switch use.effect {
            case .call(let inHandler, let many):
                effects[key, default: []].insert(inHandler ? (many ? .handlerMany : .handlerOnce) : (many ? .many : .once))
            case .escape:
                effects[key, default: []].insert(.escape)
            case .forward(let to, let index, let many):
                forwards.append((key, to, index, many))
            }
        }
        var changed = true
        while changed {
            changed = false
            for forward in forwards {
                var gained: Effects = []
                let receivers = resolve(forward.to)
                if receivers.isEmpty { gained.insert(.escape) }
                for receiver in receivers {
                    guard let index = parameterIndex(forward.index, of: receiver) else { gained.insert(.escape); continue }
                    let found = effects[ParameterKey(node: receiver, index: index)] ?? []
                    gained.formUnion(found.intersection([.escape, .many, .handlerOnce, .handlerMany]))
                    if found.contains(.once) { gained.insert(forward.many ? .many : .once) }
                }
                let before = effects[forward.from] ?? []
                if !before.isSuperset(of: gained) {
                    effects[forward.from] = before.union(gained)
                    changed = true
                }
            }
        }
        return effects
    }

    /// The parameter an argument at `position` lands in (the last one for a variadic tail).
    func parameterIndex(_ position: Int, of node: Int) -> Int? {
        let n = nodes[node]
        if n.variadic && position >= n.parameters - 1 { return n.parameters - 1 }
        return position < n.parameters ? position : nil
    }

    /// Whether a call with `arguments` (any number when `spread`) may call `node`.
    func takes(_ arguments: Int, spread: Bool, node index: Int) -> Bool {
        let node = nodes[index]
        if spread { return true }
        return node.variadic ? arguments >= node.parameters - 1 : arguments == node.parameters
    }

    func resolve(_ target: Target) -> [Int] {
        switch target {
        case .node(let node): return [node]
        case .imported(let path, let name):
            guard let package = packagesByPath[path], let node = declared[package][name] else { return [] }
            return [node]
        case .method, .methodExpression:
            guard let (name, fits) = byMethodName(target) else { return [] }
            return (methodsByName[name] ?? []).filter(fits)
        }
    }

    /// For a call by method name (`.method`, `.methodExpression`), the name and which method
    /// nodes the call may be of (by their number of parameters); nil for any other target.
    func byMethodName(_ target: Target) -> (name: String, fits: (Int) -> Bool)? {
        switch target {
        case .method(let name, let arguments, let spread):
            return (name, { self.takes(arguments, spread: spread, node: $0) })
        case .methodExpression(let name, let arguments):
            return (name, { self.takes(arguments, spread: false, node: $0) || self.takes(arguments - 1, spread: false, node: $0) })
        default:
            return nil
        }
    }

    /// Walks one file's function bodies, recording calls with how often they may run.
    struct Scanner {
        let declared: [String: Int]
        let imports: [String: String]
        /// Nil for a package-level initialiser.
        var caller: Int?
        /// The declared function being scanned (`caller` becomes `handlers` inside its handler
        /// literals), whether it is a root, and its parameters' positions.
        var owner: Int?
        var ownerIsRoot = false
        var parameters: [String: Int] = [:]
        var sites = Set<Site>()
        var passes = Set<Pass>()
        var parameterUses = Set<ParameterUse>()

        /// Names the scanned function declares (parameters, receiver, `:=`, `var`), anywhere in it:
        /// `state.Launch(ctx)` with a local `state` is a method call even when a package is
        /// imported as `state`. The package's function is kept as a possible target too
        /// (`shadowed`), since the local may be declared after a use of the package.
        var locals = Set<String>()
        /// `RunsOnce.declarations(…).receiverTypes` of the scanned function: `x.m(…)` there calls `T.m`.
        var receiverTypes: [String: String] = [:]
        /// The package's `sync.Once` variables (`OnceDo.onceVariables`): the literal handed to
        /// their `Do` runs once per process, whoever calls the function it is written in.
        var onceVariables = Set<String>()
        /// The scanned function's local errgroups and wait groups (`Declarations.groups`).
        var groups = Set<String>()
        /// The calls the scanned function makes last (`ExitTails.calls`), by `Call.fun` position.
        var tailCalls = Set<Int32>()
        /// How the scanned function handles its calls' errors (`ErrorExits.handling`), by position.
        var errorCalls: [Int32: ErrorExits.Handling] = [:]
        /// Scanning a command's own handler literal (`handler(_:tails:)`), whose return ends the process.
        var inCommand = false
        /// A command tree's `Execute` is called in a loop or a literal here (an interactive shell).
        var executesInLoop = false

        /// The imported package's function `fun` may also name when a local shadows the import.
        func shadowed(_ fun: Expr) -> Target? {
            guard case .selector(.ident(let x), let selected) = fun.unparenthesized, locals.contains(x.name),
                  let path = imports[x.name] else { return nil }
            return .imported(path: path, name: selected.name)
        }

        /// Records `e`, when it names a parameter, as a use that lets the value escape; whether it did.
        @discardableResult
        mutating func escapeIfParameter(_ e: Expr) -> Bool {
            guard let (owner, index) = parameter(e) else { return false }
            parameterUses.insert(ParameterUse(owner: owner, index: index, effect: .escape))
            return true
        }

        /// `x == nil` or `x != nil`.
        static func isNilTest(_ e: Expr) -> Bool {
            guard case .binary(let op, let a, let b, _) = e, op == .eql || op == .neq else { return false }
            return a.identName == "nil" || b.identName == "nil"
        }

        /// The position of `e` among the scanned function's parameters, when it names one.
        func parameter(_ e: Expr) -> (owner: Int, index: Int)? {
            guard let owner, case .ident(let id) = e.unparenthesized, let index = parameters[id.name] else { return nil }
            return (owner, index)
        }

        /// What `fun` may name: the package's function, an imported package's, or methods by name.
        func target(_ fun: Expr, arguments: Int, spread: Bool) -> Target? {
            var f = fun.unparenthesized
            if case .index(let generic, _, _) = f { f = generic.unparenthesized }
            // `x.m` on a name of written type `T`: `T.m` alone, when the package declares it.
            if case .selector(.ident(let x), let selected) = f, let type = receiverTypes[x.name],
               let node = declared["\(type).\(selected.name)"] {
                return .node(node)
            }
            switch f {
            case .ident(let id):
                return declared[id.name].map { .node($0) }
            case .selector(.ident(let x), let selected) where imports[x.name] != nil && !locals.contains(x.name):
                return .imported(path: imports[x.name]!, name: selected.name)
            case .selector(let base, let selected):
                // Methods of these names are never in the set, but for lifecycle methods of a
                // confined type (`ConfinedTypes`), whose calls are all of this kind.
                if RunsOnce.interfaceMethods.contains(selected.name) && !RunsOnce.lifecycleMethods.contains(selected.name) { return nil }
                if !spread && Self.mayNameType(base, locals: locals, imports: imports) {
                    return .methodExpression(name: selected.name, arguments: arguments)
                }
                return .method(name: selected.name, arguments: arguments, spread: spread)
            default:
                return nil
            }
        }

        /// Whether the `X` of a call `X.m(…)` may be a type, making it a method expression that
        /// takes its receiver first: `(*T)`, `T` or `pkg.T` (a name the function does not declare,
        /// which may also be a package-level variable).
        static func mayNameType(_ base: Expr, locals: Set<String>, imports: [String: String]) -> Bool {
            switch base.unparenthesized {
            case .star: return true
            case .ident(let x): return !locals.contains(x.name) && imports[x.name] == nil
            case .selector(.ident(let p), _): return imports[p.name] != nil && !locals.contains(p.name)
            default: return false
            }
        }

        /// Scans declared function `f`, node `node`: its parameters, declarations, last calls
        /// (`tails`) and error handling, then its statements.
        mutating func scan(_ f: FuncDecl, body: Block, node: Int, isRoot: Bool, tails: Bool) {
            caller = node
            owner = node
            ownerIsRoot = isRoot
            parameters = RunsOnce.parameterIndexes(f.type)
            let declarations = RunsOnce.declarations(f, body: body, imports: imports)
            locals = declarations.names
            receiverTypes = declarations.receiverTypes
            groups = declarations.groups
            tailCalls = tails ? ExitTails.calls(body.statements, imports: imports) : []
            errorCalls = ErrorExits.handling(body.statements, imports: imports)
            // A `goto` may make a loop of any statement: every call in it counts as many.
            let jumps = Lint.hasGoto(body.statements)
            for s in body.statements { statement(s, loops: jumps, literal: false) }
        }

        /// A literal run on the spot (or by a group's `Go`): as often as the statement around
        /// it. In a loop, its `return` ends the literal, not the loop.
        mutating func runHere(_ body: Block, loops: Bool, literal: Bool) {
            for s in body.statements { statement(s, loops: loops, literal: literal || loops) }
        }

        mutating func call(_ c: Call, loops: Bool, literal: Bool) {
            // cobra's `Execute()`, `ExecuteC()`, `ExecuteContext(ctx)`: not a template's
            // `Execute(w, data)` or another type's method of that name with its own arguments.
            if loops || literal, case .selector(_, let m) = c.fun.unparenthesized, ExitTails.executeMethods.contains(m.name),
               c.args.count == (m.name.hasPrefix("ExecuteContext") ? 1 : 0) {
                executesInLoop = true
            }
            if case .funcLit(_, let body) = c.fun.unparenthesized {
                runHere(body, loops: loops, literal: literal)
            } else {
                // `f(g())` spreads g's results over f's parameters: any number.
                let spread = c.args.count == 1 && { if case .call = c.args[0].unparenthesized { return true }; return false }()
                if let (owner, index) = parameter(c.fun) {
                    let inHandler = caller == RunsOnce.handlers || ownerIsRoot
                    parameterUses.insert(ParameterUse(owner: owner, index: index, effect: .call(inHandler: inHandler, many: loops || literal)))
                } else {
                    if let other = shadowed(c.fun) {
                        sites.insert(Site(caller: caller, target: other, many: loops || literal, escape: false))
                    }
                }
                if parameter(c.fun) == nil, let target = target(c.fun, arguments: c.args.count, spread: spread) {
                    // A function that calls itself runs as often as it recurses. (A method calling
                    // its own name may be delegating to another type's: that stays a plain edge.)
                    let recursion = caller.map { target == .node($0) } ?? false
                    let tail = caller != nil && (caller == owner || caller == RunsOnce.handlers) && !loops && !literal
                        && tailCalls.contains(c.fun.pos)
                    var onError = errorCalls[c.fun.pos]
                    if onError != .exits, literal || caller == nil || (caller != owner && !(caller == RunsOnce.handlers && inCommand)) {
                        onError = nil
                    }
                    sites.insert(Site(caller: caller, target: target, many: loops || literal || recursion, escape: false, tail: tail,
                                      onError: onError))
                }
                var f = c.fun.unparenthesized
                if case .index(let generic, let types, _) = f {
                    f = generic.unparenthesized
                    for t in types { expr(t, loops: loops, literal: literal) }
                    // `fns[i]()`: an element of a parameter, called any number of times.
                    escapeIfParameter(f)
                }
                switch f {
                case .ident: break
                case .selector(let x, _): expr(x, loops: loops, literal: literal)
                default: expr(f, loops: loops, literal: literal)
                }
            }
            // Handed to a function that may be linted: followed into it (`solve`).
            let receiver = c.fun.unparenthesized.identName.flatMap { locals.contains($0) ? nil : declared[$0] }.map { Target.node($0) }
                ?? { () -> Target? in
                    if case .selector(.ident(let x), let selected) = c.fun.unparenthesized, let path = imports[x.name],
                       !locals.contains(x.name) {
                        return .imported(path: path, name: selected.name)
                    }
                    return nil
                }()
            if case .selector(.ident(let v), let m) = c.fun.unparenthesized, m.name == "Do", c.args.count == 1,
               onceVariables.contains(v.name), !locals.contains(v.name), case .funcLit(_, let body) = c.args[0].unparenthesized {
                handler(body, tails: false)
                return
            }
            if let body = RunsOnce.goLiteral(c, groups: groups) {
                runHere(body, loops: loops, literal: literal)
                return
            }
            if let handlers = RunsOnce.cniHandlers(c, imports: imports, locals: locals) {
                // The plugin's process runs one of them, once: called here, as often as this call.
                for handler in handlers {
                    // A function by name (`cmdAdd`, `plugin.CmdAdd`), not a method value, which is
                    // resolved by name alone and may be another type's method called elsewhere.
                    let named: Bool
                    switch handler.unparenthesized {
                    case .ident(let f): named = !locals.contains(f.name)
                    case .selector(.ident(let x), _): named = imports[x.name] != nil && !locals.contains(x.name)
                    default: named = false
                    }
                    if named, let target = target(handler, arguments: 1, spread: false) {
                        sites.insert(Site(caller: caller, target: target, many: loops || literal, escape: false))
                    } else {
                        value(handler, loops: loops, literal: literal)
                    }
                }
                return
            }
            for (position, argument) in c.args.enumerated() {
                if let receiver {
                    if let (owner, index) = parameter(argument) {
                        // Handed back to its own function (`poll(ready)` in `poll`): once per level.
                        let again = receiver == .node(owner)
                        parameterUses.insert(ParameterUse(owner: owner, index: index,
                                                          effect: .forward(to: receiver, index: position, many: loops || literal || again)))
                        continue
                    }
                    var f = argument.unparenthesized
                    if case .index(let generic, _, _) = f { f = generic.unparenthesized }
                    if case .ident = f, let handed = target(f, arguments: 0, spread: true) {
                        passes.insert(Pass(caller: caller, value: handed, to: receiver, index: position, many: loops || literal))
                        continue
                    }
                    if case .selector(let base, _) = f, shadowed(f) == nil, let handed = target(f, arguments: 0, spread: true) {
                        passes.insert(Pass(caller: caller, value: handed, to: receiver, index: position, many: loops || literal))
                        if case .ident = base {} else { expr(base, loops: loops, literal: literal) }
                        continue
                    }
                }
                value(argument, loops: loops, literal: literal)
            }
        }

        /// Whether a slice or array literal of this type has elements that cannot be function
        /// values: the element type is written as a slice, array, map, channel, pointer or
        /// struct type (a named type may be a function type, and stays unknown).
        static func elementsHoldNoFunctions(_ type: Expr) -> Bool {
            guard case .arrayType(_, let element, _) = type.unparenthesized else { return false }
            switch element.unparenthesized {
            case .arrayType, .mapType, .chanType, .star, .structType: return true
            default: return false
            }
        }

        /// An expression whose value goes somewhere (an argument, the right of `=`, a result, a
        /// sent value, an element): a function named there (`run`, `pkg.Run`, `s.handle`, `f[T]`)
        /// is escaping, as it may be called any number of times. Only these places are looked
        /// at: a name used in place (`f.x`, `f == nil`) is not a value that leaves.
        mutating func value(_ e: Expr, loops: Bool, literal: Bool) {
            var f = e.unparenthesized
            if case .index(let generic, _, _) = f { f = generic.unparenthesized }
            if escapeIfParameter(f) { return }
            switch f {
            case .ident, .selector:
                if let other = shadowed(f) { sites.insert(Site(caller: nil, target: other, many: true, escape: true)) }
                if let target = target(f, arguments: 0, spread: true) {
                    sites.insert(Site(caller: nil, target: target, many: true, escape: true))
                }
            default:
                break
            }
            expr(e, loops: loops, literal: literal)
        }

        /// A command's handler runs once per process, however often the code that builds the
        /// command tree runs; so does the literal a package-level `sync.Once` runs. `tails`: the
        /// literal is a command's own `Run`, `RunE`, `Action` or ffcli `Exec`, whose return ends
        /// the process, so its last calls are exit tails (`ExitTails`); not a `PreRunE` hook, nor
        /// the `sync.Once`'s literal.
        mutating func handler(_ body: Block, tails: Bool) {
            let outer = caller, outerTails = tailCalls, outerErrors = errorCalls, outerCommand = inCommand
            caller = RunsOnce.handlers
            inCommand = tails
            tailCalls = tails ? ExitTails.calls(body.statements, imports: imports) : []
            // A literal in a declared function was read with it (`scan`); one of a package-level
            // initialiser is read here.
            if tails && owner == nil { errorCalls = ErrorExits.handling(body.statements, imports: imports) }
            let jumps = Lint.hasGoto(body.statements)
            for s in body.statements { statement(s, loops: jumps, literal: false) }
            caller = outer
            tailCalls = outerTails
            errorCalls = outerErrors
            inCommand = outerCommand
        }

        mutating func expr(_ e: Expr, loops: Bool, literal: Bool) {
            switch e {
            case .call(let c):
                call(c, loops: loops, literal: literal)
            case .funcLit(let type, let body):
                if Lint.isCommandHandler(type: type, imports: imports, isLiteral: true, receiver: nil, unitName: "") {
                    handler(body, tails: false)
                } else {
                    for s in body.statements { statement(s, loops: loops, literal: true) }
                }
            case .ident:
                // A parameter used any other way than called or handed on (ranged over, indexed,
                // stored in a local): its value may run any number of times.
                escapeIfParameter(e)
            case .binary(_, let a, let b, _) where Self.isNilTest(e):
                // `fn == nil`: a test, not a use of the value.
                for side in [a, b] where parameter(side) == nil { expr(side, loops: loops, literal: literal) }
            case .selector(let x, _):
                if case .ident = x { return }
                expr(x, loops: loops, literal: literal)
            case .compositeLit(let type, let elements, _, _) where type.map({ Lint.isFFCommand($0, imports: imports) }) == true:
                // ffcli's `&ffcli.Command{Exec: func(ctx context.Context, args []string) error {…}}`:
                // its `Exec` is the command's handler (the signature alone says nothing).
                for element in elements {
                    if case .keyValue(let key, let value, _) = element, key.identName == "Exec",
                       case .funcLit(_, let body) = value.unparenthesized {
                        handler(body, tails: true)
                    } else {
                        expr(element, loops: loops, literal: literal)
                    }
                }
            case .compositeLit(let type, let elements, _, _):
                if let type { expr(type, loops: loops, literal: literal) }
                // `[][]specs.Hook{hooks.CreateContainer, …}`: an element of a slice, array, map,
                // channel, pointer or struct type is no function value, so `x.M` there is a field.
                let holdsNoFunctions = type.map(Self.elementsHoldNoFunctions) ?? false
                for element in elements {
                    var v = element
                    if case .keyValue(let key, let keyed, _) = element {
                        // A command's own `RunE: func(…) error {…}`: its return ends the process.
                        if let name = key.identName, ExitTails.commandKeys.contains(name),
                           case .funcLit(let type, let body) = keyed.unparenthesized,
                           Lint.isCommandHandler(type: type, imports: imports, isLiteral: true, receiver: nil, unitName: "") {
                            handler(body, tails: true)
                            continue
                        }
                        expr(key, loops: loops, literal: literal)
                        v = keyed
                    }
                    if holdsNoFunctions { expr(v, loops: loops, literal: literal) } else { value(v, loops: loops, literal: literal) }
                }
            default:
                Walk.expr(e, intoFuncLits: false) { inner in
                    switch inner {
                    case .call, .funcLit, .selector, .compositeLit, .ident:
                        expr(inner, loops: loops, literal: literal)
                        return false
                    case .binary where Self.isNilTest(inner):
                        expr(inner, loops: loops, literal: literal)
                        return false
                    default:
                        return true
                    }
                }
            }
        }

        mutating func statement(_ s: Stmt, loops: Bool, literal: Bool) {
            func e(_ x: Expr?) { if let x { expr(x, loops: loops, literal: literal) } }
            func st(_ t: Stmt?, loops inner: Bool) { if let t { statement(t, loops: inner, literal: literal) } }
            func list(_ l: [Stmt], loops inner: Bool) { for t in l { statement(t, loops: inner, literal: literal) } }
            switch s {
            case .decl(let decl):
                for spec in decl.specs {
                    if case .value(_, _, let values) = spec { for v in values { value(v, loops: loops, literal: literal) } }
                }
            case .labeled(_, let inner): st(inner, loops: loops)
            case .expr(let x): e(x)
            case .send(let channel, let sent, _): e(channel); value(sent, loops: loops, literal: literal)
            case .incDec(let x, _): e(x)
            case .assign(let lhs, _, let rhs, _):
                for x in lhs { e(x) }
                for x in rhs { value(x, loops: loops, literal: literal) }
            case .go(let c, _), .deferCall(let c, _): call(c, loops: loops, literal: literal)
            case .returnStmt(let results, _):
                // The function returns: what its results call runs once per call of it, even in a loop.
                for x in results { value(x, loops: false, literal: literal) }
            case .branch, .empty: break
            case .block(let block): list(block.statements, loops: loops)
            case .ifStmt(let s):
                st(s.initial, loops: loops)
                e(s.condition)
                list(s.body.statements, loops: loops)
                st(s.elseBranch, loops: loops)
            case .switchStmt(let initial, let tag, let clauses, _):
                st(initial, loops: loops)
                e(tag)
                for clause in clauses {
                    for v in clause.values { e(v) }
                    list(clause.body, loops: loops)
                }
            case .typeSwitch(let initial, let assign, let clauses, _):
                st(initial, loops: loops)
                st(assign, loops: loops)
                for clause in clauses { list(clause.body, loops: loops) }
            case .select(let clauses, _):
                for clause in clauses {
                    st(clause.comm, loops: loops)
                    list(clause.body, loops: loops)
                }
            case .forStmt(let initial, let condition, let post, let body, _):
                st(initial, loops: loops)
                if let condition { expr(condition, loops: true, literal: literal) }
                st(post, loops: true)
                list(body.statements, loops: true)
            case .rangeStmt(let key, let value, _, let collection, let body, _):
                // A function ranged over (Go 1.23's iterators) is called: a value here.
                e(key); e(value); self.value(collection, loops: loops, literal: literal)
                list(body.statements, loops: true)
            }
        }
    }
}

