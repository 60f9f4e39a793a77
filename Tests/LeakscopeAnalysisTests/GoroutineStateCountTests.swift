import Foundation
import LeakscopeTestSupport
import Testing
@testable import LeakscopeGoroutineAnalysis
@testable import LeakscopeGoroutines

/// Totals by state count each goroutine's own state, even where goroutines with one stack were
/// caught in different states (a goroutine in `select` read while it was `runnable`).
@Suite struct GoroutineStateCountTests {
    /// The fixture's first dump with the second goroutine of the first repeated stack marked
    /// `runnable`, and the states its headers then show.
    func mixedStateDump(_ url: URL) throws -> (text: String, states: [String: Int], changed: String) {
        let text = try String(contentsOf: url, encoding: .utf8)
        var blocks = text.components(separatedBy: "\n\n")
        let header = try Regex(#"^goroutine \d+ [^\[]*\[([^\],]*)[^\]]*\]"#)
        func body(_ block: String) -> Substring { block.drop { $0 != "\n" } }
        var seen: [Substring: Int] = [:]
        var changed: String?
        for index in blocks.indices {
            let stack = body(blocks[index])
            guard !stack.isEmpty, changed == nil else { continue }
            if seen[stack] != nil, let match = try header.firstMatch(in: blocks[index]),
               let state = match.output[1].substring, state != "runnable" {
                changed = String(state)
                blocks[index].replaceSubrange(match.range, with: blocks[index][match.range]
                    .replacingOccurrences(of: "[\(state)", with: "[runnable").replacingOccurrences(of: #", \d+ minutes"#,
                                                                                                   with: "", options: .regularExpression))
            } else {
                seen[stack] = index
            }
        }
        var states: [String: Int] = [:]
        for block in blocks {
            guard let match = try header.firstMatch(in: block), let state = match.output[1].substring else { continue }
            states[String(state), default: 0] += 1
        }
        return (blocks.joined(separator: "\n\n"), states, try #require(changed))
    }

    @Test(arguments: GoroutineFixtures.Toolchain.allCases)
    func byStateCountsEachGoroutine(_ toolchain: GoroutineFixtures.Toolchain) async throws {
        let run = try await GoroutineFixtures.run(.leak, toolchain)
        let (text, expected, changed) = try mixedStateDump(try #require(run.dumps.first))
        let dump = try GoroutineDump.parse(text)
        let analysis = GoroutineAnalysis.analyze([TimedGoroutineDump(name: "mixed", dump: dump)])
        let counted = Dictionary(analysis.byState.map { ($0.state, $0.count) }, uniquingKeysWith: +)
        #expect(counted == expected, "changed one \(changed) goroutine to runnable")
        #expect(analysis.buckets.contains { $0.stateCounts.count == 2 && $0.stateCounts.contains { $0.state == "runnable" } })
    }
}
