import Foundation
import Testing
import LeakscopeGoSource
import LeakscopeLint
import LeakscopeTestSupport

/// LS009 in a test file is `low`: a test's loop turns as often as its fixture makes it, and the
/// test ends (docs/LINT.md session 32). The same loop in the package's own code stays `high`.
@Suite struct TimerInLoopTests {
    static let loop = """
    \tfor {
    \t\tselect {
    \t\tcase b := <-batches:
    \t\t\tif b == 0 {
    \t\t\t\treturn
    \t\t\t}
    \t\tcase <-time.After(time.Minute):
    \t\t\treturn
    \t\t}
    \t}
    """

    @Test func timersPerTurnInATestAreLow() throws {
        let files = [
            "go.mod": "module example.com/batch\n\ngo 1.21\n",
            "batch.go": "package batch\n\nimport \"time\"\n\nfunc Consume(batches chan int) {\n\(Self.loop)\n}\n",
            "batch_test.go": "package batch\n\nimport (\n\t\"testing\"\n\t\"time\"\n)\n\nfunc TestConsume(t *testing.T) {\n\tbatches := make(chan int)\n\(Self.loop)\n}\n",
        ]
        var found: [String: Confidence] = [:]
        for finding in try lintModule(files, folder: "timer-in-tests", packages: 1, checks: [Checks.timerInLoop], tests: true) {
            found[finding.file.split(separator: "/").last.map(String.init) ?? ""] = finding.confidence
        }
        #expect(found == ["batch.go": .high, "batch_test.go": .low])
    }
}
