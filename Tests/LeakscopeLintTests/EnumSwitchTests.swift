import Foundation
import Testing
import LeakscopeGoSource
import LeakscopeLint
import LeakscopeTestSupport

/// A `switch` on a value of one of the package's enumeration types naming every constant of
/// it, with no `default`, has no path past it (`EnumConstants`): multigres's `applyDelete`
/// unlocks in both cases of `switch e.state` (session 38's clean pass). The path stays where the
/// package says a value may be none of the constants or the cases may not be them (session 38's
/// code review): a missing constant, untyped constants, a non-constant case, one constant, no
/// zero-valued constant, a conversion or a counted field making other values, flags, a shadowed
/// constant, a tag of another type, a constant in another platform's file.
@Suite struct EnumSwitchTests {
    /// A method that locks, then in one branch unlocks in every case of `switch tag` and returns.
    static func function(_ name: String, tag: String, cases: [String], parameters: String = "") -> String {
        let arms = cases.map { "\t\tcase \($0):\n\t\t\tc.mu.Unlock()" }.joined(separator: "\n")
        return "func (c *cache) \(name)(\(parameters)) error {\n\tc.mu.Lock()\n\tif c.n > 0 {\n\t\tswitch \(tag) {\n\(arms)\n\t\t}\n\t\treturn nil\n\t}\n\tc.n++\n\tc.mu.Unlock()\n\treturn nil\n}\n"
    }

    static let source = """
    package a

    import (
    \t"os"
    \t"sync"
    )

    type State int

    const (
    \tStateLive State = iota
    \tStateMissing
    )

    type Mode string

    const (
    \tModeNone Mode = ""
    \tModeA    Mode = "a"
    \tModeB    Mode = "b"
    )

    type Kind uint8

    const KindOnly Kind = 0

    const (
    \tuntypedA = iota
    \tuntypedB
    )

    // From one: a fresh value is none of them.
    type Phase int

    const (
    \tPhaseStart Phase = iota + 1
    \tPhaseEnd
    )

    // A constant made by conversion counts.
    type Level int

    const (
    \tLevelLow Level = iota
    \tLevelHigh
    )

    const LevelUnknown = Level(9)

    // Made from input somewhere in the package.
    type Color string

    const (
    \tColorNone Color = ""
    \tColorRed  Color = "red"
    )

    func parseColor() Color { return Color(os.Args[1]) }

    // Flags, combined at will.
    type Perm uint

    const (
    \tPermNone Perm = 0
    \tPermRead Perm = 1 << iota
    \tPermWrite
    )

    // Counted past its constants.
    type Step int

    const (
    \tStepA Step = iota
    \tStepB
    )

    func (c *cache) advance() { c.step++ }

    type cache struct {
    \tmu    sync.Mutex
    \tstate State
    \tmode  Mode
    \tkind  Kind
    \tphase Phase
    \tlevel Level
    \tcolor Color
    \tperm  Perm
    \tstep  Step
    \tn     int
    \tother State
    }

    \(function("exhaustive", tag: "c.state", cases: ["StateLive", "StateMissing"]))
    \(function("grouped", tag: "c.mode", cases: ["ModeNone, ModeA", "ModeB"]))
    \(function("missingOne", tag: "c.mode", cases: ["ModeA", "ModeB"]))
    \(function("untyped", tag: "c.n", cases: ["untypedA", "untypedB"]))
    \(function("notConstant", tag: "c.state", cases: ["StateLive", "c.other"]))
    \(function("single", tag: "c.kind", cases: ["KindOnly"]))
    \(function("noZero", tag: "c.phase", cases: ["PhaseStart", "PhaseEnd"]))
    \(function("converted", tag: "c.level", cases: ["LevelLow", "LevelHigh"]))
    \(function("fromInput", tag: "c.color", cases: ["ColorNone", "ColorRed"]))
    \(function("flags", tag: "c.perm", cases: ["PermNone", "PermRead", "PermWrite"]))
    \(function("counted", tag: "c.step", cases: ["StepA", "StepB"]))
    \(function("shadowed", tag: "c.state", cases: ["StateLive", "StateMissing"], parameters: "StateMissing State"))
    \(function("anyTag", tag: "v", cases: ["StateLive", "StateMissing"], parameters: "v any"))
    """

    @Test func everyConstantNamedLeavesNoPathPast() throws {
        let found = try lintSource(Self.source, directory: "enum-switch", checks: [Checks.lockNotReleased])
        let functions = Set(found.map { String($0.function.split(separator: ".").last ?? "") })
        #expect(functions == ["missingOne", "untyped", "notConstant", "single", "noZero", "converted", "fromInput", "flags",
                              "counted", "shadowed", "anyTag"], "\(found.map { "\($0.function) \($0.line)" })")
    }

    /// Another platform's file may declare one more constant of the type.
    @Test func constantsOfOtherPlatformsCount() throws {
        let found = try lintModule([
            "go.mod": "module example.com/enums\n\ngo 1.22\n",
            "a.go": Self.source,
            "paused_windows.go": "package a\n\nconst StatePaused State = 2\n",
        ], folder: "enum-switch-platforms", packages: 1, checks: [Checks.lockNotReleased])
        #expect(found.contains { $0.function.hasSuffix(".exhaustive") }, "\(found.map(\.function))")
        #expect(!found.contains { $0.function.hasSuffix(".grouped") }, "\(found.map(\.function))")
    }
}
