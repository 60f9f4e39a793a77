import Testing
@testable import LeakscopeFindings
@testable import LeakscopeFormat
@testable import LeakscopeGoSymbols

/// `Numbers` is the one formatter for every text, JSON and HTML output (pprof-compatible reports aside).
@Suite struct NumbersTests {
    @Test func numbers() {
        #expect(Numbers.count(0) == "0")
        #expect(Numbers.count(999) == "999")
        #expect(Numbers.count(1204) == "1,204")
        #expect(Numbers.count(-1_234_567) == "-1,234,567")
        #expect(Numbers.bytes(512) == "512 B")
        #expect(Numbers.bytes(1536) == "1.5 kB")
        #expect(Numbers.bytes(13_002_342) == "12.4 MB")
        #expect(Numbers.bytes(-3 * 1_048_576) == "-3.0 MB")
        #expect(Numbers.signed(3.14) == "+3.1")
        #expect(Numbers.signed(-0.44) == "-0.4")
        #expect(Numbers.signed(250.4) == "+250")
        #expect(Numbers.percent(0.125) == "13%")
        #expect(Numbers.percent(0.003) == "0.3%")
        #expect(Numbers.duration(seconds: 0.85) == "850ms")
        #expect(Numbers.duration(seconds: 250) == "4m10s")
        #expect(Numbers.duration(seconds: 0) == "0s")
        #expect(Numbers.duration(seconds: 4.54) == "4.5s")
        #expect(Numbers.duration(seconds: 12.34) == "12s")
        #expect(Numbers.duration(seconds: 45.4) == "45s")
        #expect(Numbers.duration(seconds: 7300) == "2h02m")
        #expect(Numbers.percent(0.62) == "62%")
        #expect(Numbers.percentage(4.54) == "4.5%")
        #expect(Numbers.quantity(12) == "12.0")
        #expect(Numbers.quantity(240.4) == "240")
        #expect(Numbers.signedBytes(3 * 1_048_576) == "+3.0 MB")
        #expect(Numbers.count(11_936.4 as Double) == "11,936")
        #expect(Numbers.decimal(.nan, places: 2) == "n/a")
        #expect(Numbers.bytes(-.infinity) == "-∞")
        #expect(Numbers.decimal(1e300, places: 1) == "1e+300")
        #expect(Numbers.count(1e300 as Double) == "1e+300")
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
