import Testing
@testable import LeakscopeFindings
@testable import LeakscopeFormat
@testable import LeakscopeGoSymbols

@Suite struct DiagnoseFormatTests {
    @Test func numbers() {
        #expect(DiagnoseFormat.count(0) == "0")
        #expect(DiagnoseFormat.count(999) == "999")
        #expect(DiagnoseFormat.count(1204) == "1,204")
        #expect(DiagnoseFormat.count(-1_234_567) == "-1,234,567")
        #expect(DiagnoseFormat.bytes(512) == "512 B")
        #expect(DiagnoseFormat.bytes(1536) == "1.5 kB")
        #expect(DiagnoseFormat.bytes(13_002_342) == "12.4 MB")
        #expect(DiagnoseFormat.bytes(-3 * 1_048_576) == "-3.0 MB")
        #expect(DiagnoseFormat.signed(3.14) == "+3.1")
        #expect(DiagnoseFormat.signed(-0.44) == "−0.4")
        #expect(DiagnoseFormat.signed(250.4) == "+250")
        #expect(DiagnoseFormat.percent(0.125) == "13%")
        #expect(DiagnoseFormat.percent(0.003) == "0.3%")
        #expect(DiagnoseFormat.duration(seconds: 0.85) == "850ms")
        #expect(DiagnoseFormat.duration(seconds: 250) == "4m10s")
        #expect(DiagnoseFormat.decimal(.nan, places: 2) == "0")
        #expect(DiagnoseFormat.decimal(1e300, places: 1) == "∞")
    }

    @Test func findingsRankBySeverityThenScore() {
        func finding(_ severity: Finding.Severity, _ score: Int, _ title: String) -> Finding {
            Finding(kind: .cpuHotspot, severity: severity, score: score, title: title, location: nil,
                    evidence: .init(summary: ""), hint: "")
        }
        let ranked = Finding.ranked([finding(.info, 99, "a"), finding(.critical, 50, "b"), finding(.warning, 90, "c"),
                                     finding(.critical, 80, "d"), finding(.critical, 80, "c")])
        #expect(ranked.map(\.title) == ["c", "d", "b", "c", "a"])
        #expect(finding(.info, 250, "x").score == 100)
    }

    @Test func applicationFrames() {
        #expect(ApplicationCode.isApplication("main.(*Cache).Put"))
        #expect(ApplicationCode.isApplication("github.com/acme/api/store.(*DB).Query.func1"))
        #expect(!ApplicationCode.isApplication("fmt.Sprintf"))
        #expect(!ApplicationCode.isApplication("net/http.(*conn).serve"))
        #expect(!ApplicationCode.isApplication("runtime.mallocgc"))
        #expect(!ApplicationCode.isApplication("golang.org/x/net/http2.(*Framer).ReadFrame"))
        #expect(!ApplicationCode.isApplication("vendor/golang.org/x/net/http2/hpack.(*Decoder).Write"))
        #expect(!ApplicationCode.isApplication(""))
        #expect(ApplicationCode.packagePath(of: "github.com/a/b.c.(*T).M") == "github.com/a/b")
        #expect(ApplicationCode.firstApplicationFrame(["runtime.gopark", "sync.(*Mutex).Lock", "main.work"]) == 2)
    }
}
