import Testing
import Foundation
import LeakscopeTestSupport
@testable import LeakscopeGoroutines

/// Headers from inside a testing/synctest bubble (go1.27): "(durable)" and ", synctest bubble N".
@Suite struct SynctestTests {
    /// The dump the bubble test writes, made once per test process.
    static func dumpText() async throws -> String {
        try await cache.value(for: 0) {
            let dir = TestPaths.scratch.appendingPathComponent("leakscope-synctest-\(getpid())")
            try? FileManager.default.removeItem(at: dir)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: TestPaths.goFixtures.appendingPathComponent("dumps/synctest/bubble_test.go"),
                                             to: dir.appendingPathComponent("bubble_test.go"))
            try "module bubble\n\ngo 1.27\n".write(to: dir.appendingPathComponent("go.mod"), atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: dir) }
            let dump = dir.appendingPathComponent("dump.txt")
            let (status, out, err) = try await Dumpgen.shell("cd '\(dir.path)' && \(Dumpgen.go127) test -count=1 .", env: ["DUMP": dump.path])
            guard status == 0 else { throw FixtureError(description: "go test failed: \(out) \(err)") }
            return try String(contentsOf: dump, encoding: .utf8)
        }
    }

    private static let cache = AsyncOnceCache<Int, String>()

    @Test func durableMarksAndBubbles() async throws {
        let text = try await SynctestTests.dumpText()
        let dump = try GoroutineDump.parse(text)
        #expect(dump.warnings.isEmpty)
        let headers = naiveHeaders(text)
        #expect(dump.goroutines.count == headers.count)
        for (g, h) in zip(dump.goroutines, headers) {
            #expect((g.synctestBubble != 0) == h.bracket.contains(", synctest bubble "))
            #expect(g.flags.contains(.durable) == h.bracket.contains("(durable)"))
            // The state never carries the extras; it keeps "(durable)" only where the runtime's
            // wait reason itself ends so ("chan receive (durable)").
            #expect(h.bracket.hasPrefix(dump.state(of: g)))
        }
        let inTest = { (g: Goroutine) in dump.frames(of: g).contains { dump.names[$0.file].hasSuffix("bubble_test.go") } }
        let receivers = dump.goroutines.filter { dump.state(of: $0) == "chan receive (durable)" && inTest($0) }
        #expect(receivers.count == 3)  // const receivers in bubble_test.go
        let sleeper = dump.goroutines.filter { dump.state(of: $0) == "sleep" && inTest($0) }
        #expect(sleeper.count == 1 && sleeper[0].flags.contains(.durable) && sleeper[0].synctestBubble == receivers[0].synctestBubble)
        let condWaiter = dump.goroutines.filter { dump.state(of: $0) == "sync.Cond.Wait" && inTest($0) }
        #expect(condWaiter.count == 1 && condWaiter[0].flags.contains(.durable))
    }
}
