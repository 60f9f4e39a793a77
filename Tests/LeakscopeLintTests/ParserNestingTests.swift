import Synchronization
import Testing
import LeakscopeGoSource

/// The parser's nesting limits, counted as go/parser counts them, and the deep-stack threads
/// parsing runs on. (`HostileSourceTests` runs the whole linter on every shape at the limits.)
@Suite struct ParserNestingTests {
    /// `var x = ((…(1)…))`: each parenthesis is one level, plus the innermost operand's two.
    static func parenthesized(_ count: Int) -> String {
        "package p\n\nvar x = " + String(repeating: "(", count: count) + "1" + String(repeating: ")", count: count) + "\n"
    }

    static func parse(_ source: String) -> (error: String?, start: Int32?) {
        DeepStack.run {
            let file = SourceFile(path: "p.go", bytes: Array(source.utf8))
            var start: Int32?
            if case .gen(let declaration)? = file.syntax?.decls.first, case .value(_, _, let values)? = declaration.specs.first {
                start = values.first?.pos
            }
            return (file.errorDescription, start)
        }
    }

    @Test func nestingIsRefusedOneLevelPastTheLimit() {
        let deepest = Self.parse(Self.parenthesized(GoParser.maxNesting - 2))
        #expect(deepest.error == nil, "\(deepest.error ?? "")")
        #expect(deepest.start == 19, "the value starts at its first parenthesis")
        let over = Self.parse(Self.parenthesized(GoParser.maxNesting - 1))
        // Found at the first `)`: the innermost operand is followed by no selector, call or index.
        let column = 9 + (GoParser.maxNesting - 1) + 1
        #expect(over.error == "p.go:3:\(column): exceeded max nesting depth (\(GoParser.maxNesting))")
    }

    @Test func operatorChainsHaveTheirOwnLimit() {
        func chain(_ operators: Int) -> String { "package p\n\nvar x = 1" + String(repeating: "+1", count: operators) + "\n" }
        let accepted = Self.parse(chain(GoParser.maxOperatorChain - 1))
        #expect(accepted.error == nil, "\(accepted.error ?? "")")
        #expect(accepted.start == 19)
        let refused = Self.parse(chain(GoParser.maxOperatorChain))
        #expect(refused.error?.hasSuffix("exceeded max nesting depth (\(GoParser.maxOperatorChain) binary operators)") == true,
                "\(refused.error ?? "accepted")")
    }

    @Test(arguments: [0, 1, 7, 1_000])
    func concurrentPerformRunsEachIndexOnce(_ iterations: Int) {
        let seen = Mutex([Int](repeating: 0, count: iterations))
        DeepStack.concurrentPerform(iterations: iterations) { index in
            seen.withLock { $0[index] += 1 }
        }
        #expect(seen.withLock { $0 } == [Int](repeating: 1, count: iterations))
    }
}
