import Testing
@testable import LeakscopeGoroutines

@Suite struct NameTableTests {
    @Test func internsEachNameOnceAndReadsItBack() {
        var table = NameTable()
        var ids: [NameID] = []
        for i in 0..<5000 { ids.append(table.intern("pkg.Function\(i % 1700)")) }
        #expect(table.count == 1701)  // 1700 names plus the empty name
        for i in 0..<5000 {
            #expect(ids[i] == ids[i % 1700])
            #expect(table[ids[i]] == "pkg.Function\(i % 1700)")
        }
        #expect(table.intern("") == .empty)
        #expect(table.id(of: "pkg.Function3") == ids[3])
        #expect(table.id(of: "absent") == nil)
    }

    @Test func splitsGoSymbols() {
        let method = GoFunctionName("github.com/a/b.(*Server).Serve")
        #expect(method.package == "github.com/a/b")
        #expect(method.receiver == "*Server")
        #expect(method.name == "Serve")
        #expect(!method.isStandardLibrary)
        let closure = GoFunctionName("main.main.func1")
        #expect(closure.package == "main" && closure.receiver == nil && closure.name == "main.func1")
        let std = GoFunctionName("net/http.(*conn).serve")
        #expect(std.package == "net/http" && std.isStandardLibrary && !std.isRuntimePlumbing)
        let generic = GoFunctionName("example.com/q.Queue[...].Pop")
        #expect(generic.package == "example.com/q" && generic.receiver == "Queue[...]" && generic.name == "Pop")
        #expect(GoFunctionName("panic").package == "")
        #expect(GoFunctionName("internal/poll.runtime_pollWait").isRuntimePlumbing)
    }
}
