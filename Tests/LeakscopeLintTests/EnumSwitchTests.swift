import Foundation
import Testing
import LeakscopeGoSource
import LeakscopeLint
import LeakscopeTestSupport

/// A `switch` naming every constant of one of the package's enumeration types, with no
/// `default`, has no path past it (`EnumConstants`): multigres's `applyDelete` unlocks in both
/// cases of `switch e.state` (session 38's clean pass). A case list missing a constant, untyped
/// constants, a case that is not a constant, or a type of one constant keep the path.
@Suite struct EnumSwitchTests {
    /// A method that locks, then in one branch unlocks in every case of `switch tag` and returns.
    static func function(_ name: String, tag: String, cases: [String]) -> String {
        let arms = cases.map { "\t\tcase \($0):\n\t\t\tc.mu.Unlock()" }.joined(separator: "\n")
        return "func (c *cache) \(name)() error {\n\tc.mu.Lock()\n\tif c.n > 0 {\n\t\tswitch \(tag) {\n\(arms)\n\t\t}\n\t\treturn nil\n\t}\n\tc.n++\n\tc.mu.Unlock()\n\treturn nil\n}\n"
    }

    @Test func everyConstantNamedLeavesNoPathPast() throws {
        let source = """
        package a

        import "sync"

        type State int

        const (
        \tStateLive State = iota
        \tStateMissing
        )

        type Mode string

        const (
        \tModeA Mode = "a"
        \tModeB Mode = "b"
        \tModeC Mode = "c"
        )

        type Kind uint8

        const KindOnly Kind = 1

        const (
        \tuntypedA = iota
        \tuntypedB
        )

        type cache struct {
        \tmu    sync.Mutex
        \tstate State
        \tmode  Mode
        \tkind  Kind
        \tn     int
        \tother State
        }

        \(Self.function("exhaustive", tag: "c.state", cases: ["StateLive", "StateMissing"]))
        \(Self.function("grouped", tag: "c.mode", cases: ["ModeA, ModeB", "ModeC"]))
        \(Self.function("missingOne", tag: "c.mode", cases: ["ModeA", "ModeB"]))
        \(Self.function("untyped", tag: "c.n", cases: ["untypedA", "untypedB"]))
        \(Self.function("notConstant", tag: "c.state", cases: ["StateLive", "c.other"]))
        \(Self.function("single", tag: "c.kind", cases: ["KindOnly"]))
        """
        let found = try lintSource(source, directory: "enum-switch", checks: [Checks.lockNotReleased])
        let functions = Set(found.map { String($0.function.split(separator: ".").last ?? "") })
        #expect(functions == ["missingOne", "untyped", "notConstant", "single"], "\(found.map { "\($0.function) \($0.line)" })")
    }
}
