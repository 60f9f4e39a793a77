import Foundation
import LeakscopeTestSupport
import Testing

/// `gate leaks --ignore-current/--ignore-top/--ignore-any`, goleak's options, on a real package whose
/// `init` starts a flusher that runs forever and whose test forgets to stop a subscription.
@Suite struct LeakIgnoreTests {
    static let module = TestPaths.goFixtures.appendingPathComponent("gateleaksinit")

    func gate(_ options: [String]) async throws -> (exitCode: Int32, results: [[String: Any]], text: String) {
        let toolchain = try await GoToolchain.locate(.current)
        let binary = try LeakscopeBinary.path()
        let result = try await ProcessRunner.run(binary, ["gate", "leaks", "--format", "json"] + options
                                                 + ["--", toolchain.goExecutable, "test", "./..."],
                                                 environment: GoToolchain.environment, directory: Self.module)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any],
                                  "\(result.summary)")
        return (result.exitCode, try #require(object["results"] as? [[String: Any]]), result.stdoutText)
    }

    static func waitFunction(_ leak: [String: Any]) -> String? {
        (leak["waitSite"] as? [String: Any])?["function"] as? String
    }

    @Test func initGoroutinesAreLeaksUntilTheUserSaysOtherwise() async throws {
        let flusher = "example.com/gateleaksinit/metrics.flushForever"
        let deliver = "example.com/gateleaksinit/metrics.deliver"

        let plain = try await gate([])
        #expect(plain.exitCode == 1)
        #expect(Set(plain.results.compactMap(Self.waitFunction)) == [flusher, deliver], "\(plain.results)")
        let forgotten = try #require(plain.results.first { Self.waitFunction($0) == deliver })
        #expect(forgotten["test"] as? String == "TestSubscribeForgotten")

        // goleak.IgnoreCurrent: the flusher was running before the tests started; the test's leak stays.
        let current = try await gate(["--ignore-current"])
        #expect(current.exitCode == 1)
        #expect(current.results.compactMap(Self.waitFunction) == [deliver], "\(current.results)")

        // goleak.IgnoreTopFunction and IgnoreAnyFunction cover the rest.
        let top = try await gate(["--ignore-current", "--ignore-top", deliver])
        #expect(top.exitCode == 0, "\(top.results)")
        #expect(top.results.isEmpty)
        let any = try await gate(["--ignore-any", flusher, "--ignore-any", deliver])
        #expect(any.exitCode == 0, "\(any.results)")
        let creator = try await gate(["--ignore-current", "--ignore-created-by", "example.com/gateleaksinit/metrics.Subscribe"])
        #expect(creator.exitCode == 0, "\(creator.results)")
        // A name that matches nothing changes nothing.
        let unrelated = try await gate(["--ignore-top", "example.com/other.Loop"])
        #expect(unrelated.results.count == 2)
    }

    @Test func ignoreOptionsAreCheckedBeforeAnythingRuns() async throws {
        let dump = try GateFixtures.file("ignore-dump.txt", """
            goroutine 7 [chan send]:
            example.com/app.publish()
            \t/src/app/publish.go:42 +0x65
            created by example.com/app.Start in goroutine 1
            \t/src/app/publish.go:20 +0x9a

            """)
        let current = try await LeakscopeBinary.run(["gate", "leaks", "--ignore-current", dump])
        #expect(current.exitCode == 2)
        #expect(current.stderrText.contains("--ignore-current needs `-- go test …`"))
        let blank = try await LeakscopeBinary.run(["gate", "leaks", "--ignore-top", "a b", dump])
        #expect(blank.exitCode == 2)
        #expect(blank.stderrText.contains("fully qualified function name"))
        // On dumps, --ignore-top applies as on a test run.
        let ignored = try await LeakscopeBinary.run(["gate", "leaks", "--ignore-top", "example.com/app.publish", dump])
        #expect(ignored.exitCode == 0, "\(ignored.summary)")
        #expect(ignored.stdoutText.contains("ignored: 1 goroutine covered by --ignore-* options"))
    }
}
