import Testing
@testable import LeakscopePprofDriver
@testable import LeakscopePprof

/// `leakscope pprof` command lines → what they ask for. Each line is one a person would type to
/// `go tool pprof`; the expectations are what pprof's own flag handling (driver/cli.go) does.
@Suite struct FlagParsingTests {
    private func parse(_ line: String, executables: Set<String> = []) throws -> PprofInvocation {
        try PprofInvocation.parse(line.split(separator: " ").map(String.init),
                                  isExecutable: { executables.contains($0) })
    }

    private func failure(_ line: String) -> PprofInvocation.Failure? {
        do {
            _ = try PprofInvocation.parse(line.split(separator: " ").map(String.init))
            return nil
        } catch {
            return error
        }
    }

    @Test func topWithDefaults() throws {
        let invocation = try parse("-top heap.pb.gz")
        #expect(invocation.command == .top)
        #expect(invocation.sources == ["heap.pb.gz"])
        #expect(invocation.options == PprofOptions())
        #expect(invocation.outputPath == nil)
        #expect(invocation.bases.isEmpty && !invocation.diffBase)
    }

    @Test(arguments: [
        ("-top x", PprofCommand.top), ("--top x", .top), ("-text x", .text), ("-traces x", .traces),
        ("-tree x", .tree), ("-tags x", .tags), ("-raw x", .raw), ("-comments x", .comments),
        ("-topproto x", .topproto), ("-proto x", .proto), ("-collapsed x", .collapsed),
        ("-speedscope x", .speedscope), ("-peek main\\. x", .peek("main\\.")), ("-peek=Alloc x", .peek("Alloc")),
        ("-flame out.html x", .flame), ("-top=true x", .top), ("-top=1 x", .top), ("-top=false -text x", .text),
    ])
    func outputCommands(line: String, command: PprofCommand) throws {
        #expect(try parse(line).command == command)
    }

    @Test func valueFormsAreEquivalent() throws {
        let forms = ["-nodecount=5 -focus=alloc x", "-nodecount 5 -focus alloc x", "--nodecount=5 --focus alloc x",
                     "-focus alloc -nodecount=0x5 x"]
        for form in forms {
            let invocation = try parse("-top " + form)
            #expect(invocation.options.nodeCount == 5, "\(form)")
            #expect(invocation.options.focus == "alloc", "\(form)")
        }
    }

    @Test func everyReportOption() throws {
        let invocation = try parse("""
            -text -sample_index=alloc_space -mean -divide_by=1024 -unit=MB -relative_percentages \
            -drop_negative -focus=f -ignore=i -hide=h -show=s -show_from=sf -prune_from=pf -tagfocus=1kb:10kb \
            -tagignore=ti -tagshow=ts -taghide=th -lines -noinlines -showcolumns -nodecount=20 \
            -nodefraction=0.1 -edgefraction=0.2 -trim=false -cum -call_tree -compact_labels \
            -source_path=/src -trim_path=/x -intel_syntax -symbolize=none -tools=/t -buildid=abc x
            """.replacingOccurrences(of: "\n", with: " "))
        var expected = PprofOptions()
        expected.sampleIndex = "alloc_space"
        expected.mean = true
        expected.divideBy = 1024
        expected.unit = "MB"
        expected.relativePercentages = true
        expected.dropNegative = true
        expected.focus = "f"
        expected.ignore = "i"
        expected.hide = "h"
        expected.show = "s"
        expected.showFrom = "sf"
        expected.pruneFrom = "pf"
        expected.tagFocus = "1kb:10kb"
        expected.tagIgnore = "ti"
        expected.tagShow = "ts"
        expected.tagHide = "th"
        expected.granularity = .lines
        expected.noInlines = true
        expected.showColumns = true
        expected.nodeCount = 20
        expected.nodeFraction = 0.1
        expected.edgeFraction = 0.2
        expected.trim = false
        expected.sortByCum = true
        expected.callTree = true
        expected.compactLabels = true
        expected.sourcePath = "/src"
        expected.trimPath = "/x"
        #expect(invocation.options == expected)
        #expect(invocation.command == .text)
    }

    @Test(arguments: [
        ("-inuse_space", "inuse_space", false), ("-inuse_objects", "inuse_objects", false),
        ("-alloc_space", "alloc_space", false), ("-alloc_objects", "alloc_objects", false),
        ("-total_delay", "delay", false), ("-contentions", "contentions", false), ("-mean_delay", "delay", true),
    ])
    func legacySampleIndexShortcuts(flag: String, sampleIndex: String, mean: Bool) throws {
        let invocation = try parse("-top \(flag) x")
        #expect(invocation.options.sampleIndex == sampleIndex)
        #expect(invocation.options.mean == mean)
        #expect(invocation.warnings.isEmpty)
    }

    @Test func explicitSampleIndexBeatsLegacyShortcutWithPprofsWarning() throws {
        let invocation = try parse("-top -sample_index=1 -alloc_space x")
        #expect(invocation.options.sampleIndex == "1")
        #expect(invocation.warnings == ["Multiple value selections, ignoring -alloc_space"])
    }

    @Test func granularityAndSort() throws {
        for granularity in Granularity.allCases {
            #expect(try parse("-top -\(granularity.rawValue) x").options.granularity == granularity)
        }
        #expect(try parse("-top -flat x").options.sortByCum == false)
        #expect(try parse("-top -cum x").options.sortByCum == true)
    }

    @Test func basesAccumulateAndDiffBaseIsMarked() throws {
        let base = try parse("-top -base a.pb.gz -base=b.pb.gz new1 new2")
        #expect(base.bases == ["a.pb.gz", "b.pb.gz"])
        #expect(!base.diffBase)
        #expect(base.sources == ["new1", "new2"])
        let diff = try parse("-top -diff_base old -normalize new")
        #expect(diff.bases == ["old"])
        #expect(diff.diffBase)
        #expect(diff.options.normalize)
    }

    @Test func sourceOptions() throws {
        let invocation = try parse("-top -seconds=5 -timeout 9 -add_comment=hello -all_frames localhost:6060")
        #expect(invocation.seconds == 5)
        #expect(invocation.timeout == 9)
        #expect(invocation.addComment == "hello")
        #expect(invocation.allFrames)
        #expect(invocation.sources == ["localhost:6060"])
    }

    @Test func outputAndFlameFiles() throws {
        #expect(try parse("-top -output out.txt x").outputPath == "out.txt")
        #expect(try parse("-flame graph.html x").outputPath == "graph.html")
        #expect(failure("-flame graph.html -output o x") != nil)
    }

    @Test func leadingBinaryIsRecognisedOnlyBeforeAnotherSource() throws {
        let withBinary = try parse("-top ./server heap.pb.gz", executables: ["./server"])
        #expect(withBinary.binary == "./server")
        #expect(withBinary.sources == ["heap.pb.gz"])
        #expect(withBinary.warnings.count == 1)
        let alone = try parse("-top ./server", executables: ["./server"])
        #expect(alone.binary == nil)
        #expect(alone.sources == ["./server"])
        let notBinary = try parse("-top a.pb.gz b.pb.gz")
        #expect(notBinary.sources == ["a.pb.gz", "b.pb.gz"])
    }

    @Test func flagsAfterSourcesAndDoubleDash() throws {
        let late = try parse("heap.pb.gz -top -nodecount=3")
        #expect(late.command == .top && late.options.nodeCount == 3 && late.sources == ["heap.pb.gz"])
        let ended = try parse("-top -- -odd-name.pb.gz")
        #expect(ended.sources == ["-odd-name.pb.gz"])
    }

    @Test func helpIsRequestedLikeGo() {
        for line in ["-h", "-help", "--help", "-top -h x"] {
            #expect(failure(line) == .help, "\(line)")
        }
    }

    @Test func httpServesInsteadOfAReport() throws {
        let served = try parse("-http=:8080 -no_browser -focus=main heap.pb.gz")
        #expect(served.http == ":8080" && served.noBrowser && served.options.focus == "main")
        #expect(served.sources == ["heap.pb.gz"])
    }

    @Test func listTakesItsRegexpAndSourcePaths() throws {
        let list = try parse("-list main\\. -source_path=/a:/b -trim_path=/ci heap.pb.gz")
        #expect(list.command == .list("main\\."))
        #expect(list.options.sourcePath == "/a:/b" && list.options.trimPath == "/ci")
    }

    @Test func graphFormatsAreTheDotReportRenderedByGraphviz() throws {
        #expect(try parse("-dot x").command == .dot && parse("-dot x").graphvizFormat == nil)
        for format in ["svg", "png", "pdf", "gif", "ps"] {
            let parsed = try parse("-\(format) x")
            #expect(parsed.command == .dot && parsed.graphvizFormat == format && !parsed.web, "\(format)")
        }
        let web = try parse("-web x")
        #expect(web.command == .dot && web.graphvizFormat == "svg" && web.web)
        #expect(failure("-dot -svg x") != nil)
    }

    @Test func refusalsOfOurOwn() {
        let cases = ["-callgrind x", "-eog x", "-disasm main x", "-weblist main x", "-top -tagroot=k x", "x"]
        for line in cases {
            guard case .usage(let message)? = failure(line) else {
                Issue.record("\(line) was not refused")
                continue
            }
            #expect(!message.isEmpty && !message.contains("\n"), "\(line): \(message)")
        }
    }
}
