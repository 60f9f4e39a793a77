import LeakscopeDiagnose
import LeakscopeFindings
import LeakscopeGoSymbols
import LeakscopePresentation
import Testing

/// Go symbol identity (`GoSymbol`) and the static ↔ runtime join (`SourceJoin`) on names as the
/// Go runtime prints them.
@Suite struct DiagnoseSourceJoinTests {
    @Test(arguments: [
        ("example.com/svc/resolver.(*Resolver).Lookup.func1", "example.com/svc/resolver", "Resolver", "Lookup", ["func1"]),
        ("main.parkIdle", "main", nil, "parkIdle", []),
        ("main.Cache.Get", "main", "Cache", "Get", []),
        ("main.(*Map[...]).Store", "main", "Map", "Store", []),
        ("main.Map[...].Load.func2", "main", "Map", "Load", ["func2"]),
        ("main.serve.func1.2", "main", nil, "serve", ["func1", "2"]),
        ("main.serve.gowrap1", "main", nil, "serve", ["gowrap1"]),
        ("main.init.0.func1", "main", nil, "init", ["func1"]),
        ("main.(*T).run-fm", "main", "T", "run", []),
        ("gopkg.in/yaml%2ev3.(*parser).parse", "gopkg.in/yaml%2ev3", "parser", "parse", []),
        ("net/http.(*conn).serve", "net/http", "conn", "serve", []),
        ("main.Process[...]", "main", nil, "Process", []),
    ] as [(String, String, String?, String, [String])])
    func parsesRuntimeNames(_ name: String, _ package: String, _ receiver: String?, _ function: String, _ closures: [String]) throws {
        let symbol = try #require(GoSymbol(name))
        #expect(symbol.package == package)
        #expect(symbol.receiver == receiver)
        #expect(symbol.name == function)
        #expect(symbol.closures == closures)
        #expect(symbol.enclosing == GoSymbol(package: package, receiver: receiver, name: function))
    }

    @Test func rejectsNamesWithoutAPackageOrName() {
        for name in ["", "?", "main", "main."] { #expect(GoSymbol(name) == nil, "\(name)") }
        #expect(GoSymbol.runtimePackagePath("gopkg.in/yaml.v3") == "gopkg.in/yaml%2ev3")
        #expect(GoSymbol.runtimePackagePath("example.com/a/b") == "example.com/a/b")
    }

    static func lint(_ function: String, line: Int) -> StaticEvidence {
        StaticEvidence(check: "LS001", name: "abandoned-send", function: function, file: "/src/svc/worker.go", line: line, column: 3,
                       message: "send on ch may block forever", fix: "make the channel buffered", severity: .critical)
    }

    static func runtime(_ function: String) -> Finding {
        Finding(kind: .goroutineLeak, severity: .warning, score: 60, title: "Goroutines leak in \(function)",
                location: SourceSite(function: function, file: "/src/svc/worker.go", line: 10), evidence: .init(summary: "s"), hint: "h")
    }

    @Test func joinsByDeclaredFunctionSameLiteralFirst() {
        var findings = [Self.runtime("example.com/svc.(*Pool).run.func2"), Self.runtime("example.com/svc.other"),
                        Self.runtime("example.com/svc.Pool.runner")]
        let statics = [Self.lint("example.com/svc.(*Pool).run.func1", line: 20), Self.lint("example.com/svc.(*Pool).run.func2", line: 30),
                       Self.lint("example.com/svc.(*Pool).stop", line: 40), Self.lint("example.com/svc.otherwise", line: 50)]
        let staticOnly = SourceJoin.attach(statics, to: &findings)
        #expect(findings[0].staticEvidence?.map(\.line) == [30, 20])
        #expect(findings[0].score == 65)
        #expect(findings[1].staticEvidence == nil && findings[1].score == 60, "a name prefix is not the same function")
        #expect(findings[2].staticEvidence == nil)
        #expect(staticOnly.map(\.line) == [40, 50])
        let evidence = SourceJoin.runtime(for: statics[0], in: findings, source: "cap")
        #expect(evidence.map(\.function) == ["example.com/svc.(*Pool).run.func2"] && evidence.first?.source == "cap")
        #expect(SourceJoin.runtime(for: statics[2], in: findings, source: "cap").isEmpty)
    }

    /// With no runtime finding, every lint finding is static only; text lists ten unless `--all`.
    @Test func staticOnlyIsBriefInText() {
        var input = DiagnosisInput()
        input.source = ("svc", 3, (1...12).map { Self.lint("example.com/svc.f\($0)", line: $0) })
        let report = Diagnosis.run(input)
        #expect(report.staticOnly?.count == 12)
        #expect(report.notes.last == "source svc: 12 lint findings in 3 files; 0 in functions with runtime findings, 12 static only")
        let brief = DiagnosisText.render(report, infoLimit: 3)
        #expect(brief.contains("/src/svc/worker.go:10:3: send on ch may block forever (LS001) in example.com/svc.f10\n"))
        #expect(!brief.contains("example.com/svc.f11\n") && brief.contains("  … 2 more (--all lists them)\n"), "\(brief)")
        let all = DiagnosisText.render(report, infoLimit: nil)
        #expect(all.contains("example.com/svc.f12\n") && !all.contains("more (--all"))
        let html = DiagnosisHTML.render(report)
        #expect(html.contains("<h2>Static only</h2>") && html.contains("example.com/svc.f12"))
    }
}
