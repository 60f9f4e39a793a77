import LeakscopeGoSource

/// Test code that runs once per test process: a `TestMain(m *testing.M)` body, a testify suite's
/// `SetupSuite` or `TearDownSuite` method, and the function literal handed to Ginkgo's
/// `BeforeSuite`, `SynchronizedBeforeSuite`, `BeforeAll`, `AfterSuite`, `SynchronizedAfterSuite`
/// or `AfterAll`, with the literals written inside them (a readiness poll's `Eventually(func(g
/// Gomega) error {…})`). A sender stranded or a response held there is one per test binary, not
/// a growing number, like `RunsOnce`'s functions (falcoctl's suites poll a registry's status-only
/// `/` once each; docs/LINT.md, session 19); in a teardown, held only until the binary exits
/// (mappers-go's clean-up requests, session 29).
enum SuiteSetup {
    static let note = "test setup or teardown that runs once per test process (TestMain, a suite's SetupSuite or TearDownSuite, Ginkgo's BeforeSuite, AfterSuite, BeforeAll or AfterAll): one is held, not a growing number"

    /// Ginkgo's nodes that run their body once per process.
    static let ginkgoOnce: Set<String> = [
        "BeforeSuite", "SynchronizedBeforeSuite", "BeforeAll", "AfterSuite", "SynchronizedAfterSuite", "AfterAll",
    ]

    /// Whether `offset` of `file` lies in a suite's setup, and in no loop written there (a loop
    /// makes it many: `for _, u := range urls { http.Get(u) }`).
    static func encloses(_ offset: Int32, in file: SourceFile, imports: [String: String]) -> Bool {
        func inside(_ b: Block) -> Bool { b.lbrace <= offset && offset <= b.rbrace }
        // A Ginkgo once-per-process node whose literal holds `offset` outside its loops.
        func setupCall(_ e: Expr) -> Bool { setupBodies(e, imports: imports).contains { inside($0) && !inLoop(offset, $0) } }
        // A container built in a loop (`for _, u := range urls { Describe(u, Ordered, func() {
        // AfterAll(…) }) }`) runs its once-per-container hooks once per turn.
        func loopAround(_ e: Expr) -> Bool {
            Walk.contains(e) { x in
                if case .funcLit(_, let b) = x, inside(b) { return inLoop(offset, b) }
                return false
            }
        }
        for decl in file.syntax?.decls ?? [] {
            switch decl {
            case .function(let f):
                guard let body = f.body, inside(body) else { continue }
                if isSetupFunction(f, imports: imports) { return !inLoop(offset, body) }
                return !inLoop(offset, body) && body.statements.contains { Walk.contains($0, where: setupCall) }
            case .gen(let g):
                for case .value(_, _, let values) in g.specs where values.contains(where: { Walk.contains($0, where: setupCall) }) {
                    return !values.contains(where: loopAround)
                }
            }
        }
        return false
    }

    /// `func TestMain(m *testing.M)`, or a method `SetupSuite()` or `TearDownSuite()` (testify's
    /// suite hooks).
    static func isSetupFunction(_ f: FuncDecl, imports: [String: String]) -> Bool {
        if f.receiver != nil { return ["SetupSuite", "TearDownSuite"].contains(f.name.name) && f.type.params.isEmpty }
        guard f.name.name == "TestMain", f.type.params.count == 1, f.type.params[0].names.count <= 1,
              case .star(.selector(.ident(let x), let m), _) = f.type.params[0].type.unparenthesized else { return false }
        return m.name == "M" && imports[x.name] == "testing"
    }

    /// The bodies of the function literals `e` hands to a Ginkgo once-per-process node:
    /// `BeforeSuite(func() {…})` (dot-imported), `ginkgo.BeforeAll(func() {…})`, both of
    /// `SynchronizedBeforeSuite`'s.
    static func setupBodies(_ e: Expr, imports: [String: String]) -> [Block] {
        guard case .call(let call) = e else { return [] }
        switch call.fun.unparenthesized {
        case .ident(let name) where ginkgoOnce.contains(name.name):
            break
        case .selector(.ident(let x), let name) where ginkgoOnce.contains(name.name) && imports[x.name]?.contains("ginkgo") == true:
            break
        default:
            return []
        }
        return call.args.compactMap { argument in
            if case .funcLit(_, let b) = argument.unparenthesized { return b }
            return nil
        }
    }

    /// Whether a `for` or `range` body written in `b` (literals included) contains `offset`.
    static func inLoop(_ offset: Int32, _ b: Block) -> Bool {
        b.statements.contains { s in
            var found = false
            Walk.statements(s, { st in
                switch st {
                case .forStmt(_, _, _, let body, let pos), .rangeStmt(_, _, _, _, let body, let pos):
                    // The condition and post statement run every turn too: all after the keyword.
                    if pos < offset && offset <= body.rbrace { found = true }
                default:
                    break
                }
                return !found
            }, { _ in !found })
            return found
        }
    }
}
