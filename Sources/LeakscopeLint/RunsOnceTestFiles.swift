import LeakscopeGoSource
import LeakscopeGoSymbols

extension RunsOnce {
    /// Indexes the functions of `package`'s test files (all of an external test package's) and
    /// records their calls apart (`testSites`): a helper a test's set-up calls, whose every
    /// caller exits on its error (`log.Fatalf` in `TestMain`'s set-up), strands what it leaves
    /// only as the test binary ends (csi-powermax's `serverReady`, docs/LINT.md session 32).
    /// `solve` and `endsProcess` never see these calls, so a test calling a command's code does
    /// not change how often it runs; nor are test files' methods followed by name. Returns the
    /// test functions' nodes by runtime name. `LintSession.add` calls it, after the package's own
    /// files are indexed (their calls then never name a test file's function), only for a package
    /// with a finding in a test file that asks (`LintFinding.pendingErrorExitTest`).
    mutating func addTestFiles(_ package: GoPackage, index: Int, imports importsByFile: [String: [String: String]]) -> [String: Int] {
        let external = package.path.hasSuffix("_test")
        let runtimePath = GoSymbol.runtimePackagePath(package.path)
        let files = package.files.compactMap { file in
            external || Self.isTestFile(file) ? file.syntax.map { (syntax: $0, imports: importsByFile[file.path] ?? [:]) } : nil
        }
        var byUnit: [String: Int] = [:]
        for (syntax, _) in files {
            for case .function(let f) in syntax.decls {
                guard f.body != nil, let key = PackageFacts.declarationKey(f) else { continue }
                declared[index][key] = nodes.count
                byUnit[Lint.runtimeName(f, runtimePackage: runtimePath)] = nodes.count
                nodes.append(Node(closedWorld: true, isRoot: false, parameters: f.type.params.reduce(0) { $0 + max(1, $1.names.count) },
                                  variadic: f.type.params.last?.isVariadic == true, inTest: true))
            }
        }
        for (syntax, imports) in files {
            var scanner = Scanner(declared: declared[index], imports: imports, caller: nil)
            for case .function(let f) in syntax.decls {
                guard let body = f.body, let key = PackageFacts.declarationKey(f), let node = declared[index][key] else { continue }
                scanner.scan(f, body: body, node: node, isRoot: false, tails: false)
            }
            testSites.append(contentsOf: scanner.sites)
            testPasses.append(contentsOf: scanner.passes)
        }
        return byUnit
    }
}
