import Foundation
import Testing
import LeakscopeGoSource
import LeakscopeLint
import LeakscopeTestSupport

/// Every leak kernel under Tests/Fixtures/lint/kernels is found on exactly the line its
/// `// want "LS00N"` marker names (`// want "LS00N" low`: with low confidence), and every fixed
/// twin stays silent.
@Suite struct KernelTests {
    static let kernels = TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/lint/kernels").path

    /// `file:line:ID` for every want marker.
    static func wanted() throws -> Set<String> { try markers().all }

    /// `file:line:ID` for every want marker, and for those marked `low`.
    static func markers() throws -> (all: Set<String>, low: Set<String>) {
        var out = Set<String>(), low = Set<String>()
        for name in try FileManager.default.contentsOfDirectory(atPath: kernels) where name.hasSuffix(".go") {
            let text = try String(contentsOfFile: kernels + "/" + name, encoding: .utf8)
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                guard let marker = line.firstRange(of: "// want \"") else { continue }
                let id = line[marker.upperBound...].prefix(5)
                out.insert("\(name):\(index + 1):\(id)")
                if line[marker.upperBound...].dropFirst(5).hasPrefix("\" low") { low.insert("\(name):\(index + 1):\(id)") }
            }
        }
        return (out, low)
    }

    @Test func findsEveryKernelAndNoFixedTwin() throws {
        let loaded = PackageLoader.load([Self.kernels], context: BuildContext())
        #expect(loaded.failures.isEmpty)
        #expect(loaded.packages.count == 1)
        let findings = Linter().run(loaded.packages)
        let found = Set(findings.map { "\(URL(fileURLWithPath: $0.file).lastPathComponent):\($0.line):\($0.check.id)" })
        let (wanted, wantedLow) = try Self.markers()
        #expect(wanted.count >= 30)
        #expect(found == wanted, "missed: \(wanted.subtracting(found).sorted()), unexpected: \(found.subtracting(wanted).sorted())")
        // Confidence: exactly the `low` markers are low, each with its reason.
        let low = findings.filter { $0.confidence == .low }
        #expect(Set(low.map { "\(URL(fileURLWithPath: $0.file).lastPathComponent):\($0.line):\($0.check.id)" }) == wantedLow)
        #expect(!wantedLow.isEmpty && low.allSatisfy { $0.confidenceNote != nil })
        #expect(findings.allSatisfy { $0.confidence == .low || $0.confidenceNote == nil })
        // Every check has at least one kernel.
        #expect(Set(findings.map(\.check.id)) == Set(Checks.all.map(\.id)))
        // Function names are the runtime's.
        #expect(findings.contains { $0.function == "main.(*store).put" && $0.check.id == "LS006" })
        #expect(findings.contains { $0.function == "main.abandonedOnTimeout.func1" && $0.check.id == "LS001" })
        // A watcher that may take its other case and run off its end is the receiver named.
        #expect(findings.contains { $0.function == "main.acceptUntilStopped.func1"
            && $0.message.contains("its receiver, the goroutine started on line") })
    }

    /// What LS004's no-body rule and LS001's range hand-off and sibling-channel rules assume
    /// holds at run time, on both toolchains: an unclosed response from a handler that writes only
    /// a status leaves its connection in the pool (one that writes a body does not); a range loop
    /// over a consumer's results that returns early leaves the consumer and the feeder blocked; a
    /// goroutine sending once on one of two channels is taken by a select over both, and blocks
    /// only when the caller returns before that select; senders started with `go f(ch)` on a
    /// channel made unbuffered under a condition block when the caller's select takes its other
    /// case, and finish when the channel is buffered; a body decoded by json.Decoder and left open
    /// can keep its connection (513 bytes: the decoder stops one byte short of EOF), one read with
    /// io.ReadAll does not, nor one `Body.Read` into a buffer the whole answer fits (one too small
    /// does), nor a HEAD, nor a handler type writing an empty field; an unread, unclosed body leaves the connection's
    /// goroutines behind unless the request's context is cancelled on return.
    @Test(arguments: GoToolchain.Kind.allCases)
    func rulesHoldAtRunTime(_ kind: GoToolchain.Kind) async throws {
        let toolchain = try await GoToolchain.locate(kind)
        let evidence = TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/lint/evidence")
        let binary = TestPaths.scratch.appendingPathComponent("lint-evidence-\(kind.rawValue)").path
        let build = try await toolchain.go(["build", "-o", binary, "."], in: evidence)
        #expect(build.exitCode == 0, "\(build.summary)")
        // The goroutine count settles within seconds; alone on the machine it does so in time.
        let result = try await ChildSlots.shared.withSlots(for: .all) {
            try await ProcessRunner.run(binary, [], slot: .alreadyHeld)
        }
        #expect(result.exitCode == 0, "\(result.summary)")
        let lines = result.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines == ["handoff leaked=2", "drained leaked=0", "early leaked=1", "either leaked=0",
                          "named leaked=3", "buffered leaked=0", "uncancelled leaked=3", "cancelled leaked=0",
                          "nobody reused=true", "body reused=false", "decoded reused=false", "readall reused=true",
                          "read reused=true", "partial reused=false", "head reused=true", "typed reused=true"],
                "\(result.summary)")
        // The linter says the same of the kernels written in these shapes.
        let loaded = PackageLoader.load([Self.kernels], context: BuildContext())
        let places = Set(Linter().run(loaded.packages).map { "\(URL(fileURLWithPath: $0.file).lastPathComponent):\($0.function)" })
        #expect(places.contains("ls001_handoff.go:main.purgeAll.func1"))
        #expect(!places.contains { $0.hasPrefix("ls001_handoff.go:main.purgeAllDrained") })
        #expect(places.contains("ls001_handoff.go:main.loadChecked.func1"))
        #expect(!places.contains { $0.hasPrefix("ls001_handoff.go:main.loadEither") })
        // go f(ch) on a channel made unbuffered under a condition: reported in f, by its runtime name.
        #expect(places.contains("ls001_named.go:main.priceOf"))
        #expect(!places.contains("ls001_named.go:main.priceOfBuffered"))
        #expect(places.contains("ls004_context.go:main.probeGet"))
        #expect(!places.contains("ls004_context.go:main.probeHead"))
        #expect(places.contains("ls004_context.go:main.notifyLater"))
        #expect(!places.contains("ls004_context.go:main.notifyNow"))
        #expect(places.contains("ls004_server.go:main.probeBody"))
        #expect(!places.contains("ls004_server.go:main.probeStatus"))
        // Session-9 rules: the silent twins' functions report nothing.
        #expect(places.contains("ls004_captured.go:main.fetcher.probeEach.func1"))
        #expect(!places.contains { $0.hasPrefix("ls004_captured.go:main.fetcher.fetchWithRetry") })
        #expect(places.contains("ls006_handover.go:main.(*sessions).lookup"))
        #expect(!places.contains("ls006_handover.go:main.(*sessions).lockSession"))
        #expect(!places.contains { $0.hasPrefix("ls001_literal.go:main.startWatchHandedOut") })
    }

    /// Session 10: a worker that ranges over the channel until it is closed is the feeder's
    /// receiver (the feeder stays silent, the worker's own abandoned send is found); a worker
    /// whose loop can return is not, and the feeder is reported. Session 34: the same holds for
    /// workers the feeder starts itself, unconditionally and before it sends (`cubeAll` silent;
    /// `cubeUntilNegative` and `cubeAllIfPooled` reported).
    @Test func drainingWorkersReceiveForTheFeeder() {
        let loaded = PackageLoader.load([Self.kernels], context: BuildContext())
        let findings = Linter(checks: [Checks.abandonedSend]).run(loaded.packages)
            .filter { $0.file.hasSuffix("ls001_workers.go") }
        let places = Set(findings.map { "\($0.function):\($0.line)" })
        #expect(places == ["main.squareAll.func2:23", "main.firstNegative.func1:75", "main.cubeUntilNegative.func1:150",
                           "main.cubeAllIfPooled.func1:179"])
    }

    /// Session 11: workers that loop on a comma-ok receive and leave only in its `if !ok` arm
    /// (a statement or a select case) are the feeder's receivers; a worker that also leaves on
    /// ctx.Done() or on a bad value is not, and the feeder is reported.
    @Test func commaOkWorkersReceiveForTheFeeder() {
        let loaded = PackageLoader.load([Self.kernels], context: BuildContext())
        let findings = Linter(checks: [Checks.abandonedSend]).run(loaded.packages)
            .filter { $0.file.hasSuffix("ls001_commaok.go") }
        let places = Set(findings.map { "\($0.function):\($0.line)" })
        #expect(places == ["main.checkNamesCtx.func2:97", "main.firstBadName.func2:130"])
    }

    @Test func onlyTheSelectedChecksRun() {
        let loaded = PackageLoader.load([Self.kernels], context: BuildContext())
        let findings = Linter(checks: [Checks.lockNotReleased]).run(loaded.packages)
        #expect(!findings.isEmpty)
        #expect(findings.allSatisfy { $0.check.id == "LS006" })
    }

    /// LS003 and LS007 report where go vet's lostcancel and waitgroup analyzers do.
    @Test func lostCancelAndWaitGroupAgreeWithGoVet() async throws {
        let toolchain = try await GoToolchain.locate(.current)
        let vet = try await toolchain.go(["vet", "-lostcancel", "-waitgroup", "."], in: URL(fileURLWithPath: Self.kernels))
        #expect(vet.exitCode == 1, "\(vet.summary)")
        var vetPlaces = Set<String>()
        for line in vet.stderrText.split(separator: "\n") where !line.hasPrefix("#") && !line.contains("this return statement") {
            let parts = line.split(separator: ":")
            guard parts.count >= 3 else { continue }
            vetPlaces.insert("\(parts[0]):\(parts[1]):\(parts[2])")
        }
        let loaded = PackageLoader.load([Self.kernels], context: BuildContext())
        let ours = Set(Linter(checks: [Checks.lostCancel, Checks.addInGoroutine]).run(loaded.packages).map {
            "\(URL(fileURLWithPath: $0.file).lastPathComponent):\($0.line):\($0.column)"
        })
        // suppressed.go is silenced by //leakscope:ignore; vet has no such comment. Lines marked
        // `vet-only` are where vet reports and nothing leaks (a cancel-only context under Background, TODO or WithoutCancel, or a value context
        // of one; a worker's child context when the worker ends only with it; a child of a context the function cancels).
        let vetOnly = try vetPlaces.filter { place in
            let parts = place.split(separator: ":")
            let source = try String(contentsOfFile: "\(Self.kernels)/\(parts[0])", encoding: .utf8)
            let line = source.split(separator: "\n", omittingEmptySubsequences: false)[Int(parts[1])! - 1]
            return line.contains("// vet-only:")
        }
        #expect(vetOnly.count == 9, "\(vetOnly.sorted())")
        #expect(ours == vetPlaces.subtracting(vetOnly).filter { !$0.hasPrefix("suppressed.go") },
                "vet: \(vetPlaces.sorted()) ours: \(ours.sorted())")
        #expect(ours.count >= 4)
    }

    @Test func suppressionCommentSilencesOnlyItsCheck() throws {
        let file = TestPaths.scratch.appendingPathComponent("suppress/a.go")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try """
        package a

        import "context"

        func f(p context.Context) context.Context {
        \tctx, _ := context.WithCancel(p) //leakscope:ignore LS006 wrong check
        \treturn ctx
        }

        func g(p context.Context) context.Context {
        \tctx, _ := context.WithCancel(p) //leakscope:ignore LS003 tied to p
        \treturn ctx
        }
        """.write(to: file, atomically: true, encoding: .utf8)
        let loaded = PackageLoader.load([file.deletingLastPathComponent().path], context: BuildContext())
        let findings = Linter().run(loaded.packages)
        #expect(findings.map(\.line) == [6])
        #expect(findings.first?.function == "a.f" || findings.first?.function.hasSuffix(".f") == true)
    }
}
