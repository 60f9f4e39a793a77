import Testing
import LeakscopeLint

/// LS006 and a deferred closure that releases the lock until the function releases it by hand
/// and swaps the closure for one that leaves the lock alone (etcd's `lessor.Renew`, curio's
/// sealing task). Each silent shape has leaking twins: a swap with no unlock before it, a second
/// lock after the swap, a closure taken by address, swapped inside another literal, called from a
/// goroutine, shadowed by a parameter, or named like a package function called before it is
/// defined, and a `goto` past the unlock (a code review's shapes, session 37).
@Suite struct DisarmedReleaserTests {
    static func findings(_ function: String, _ name: String) throws -> [Int] {
        let source = """
        package a

        import (
        \t"errors"
        \t"sync"
        )

        type lessor struct {
        \tmu    sync.Mutex
        \tother sync.Mutex
        \tok    bool
        }

        \(function)
        """
        return try lintSource(source, directory: "disarmed-\(name)", checks: [Checks.lockNotReleased]).map(\.line)
    }

    /// etcd's `lessor.Renew`: held returns released by the deferred closure, and two swaps, each
    /// after a manual unlock. `before` goes before the lock, `extra` after the `defer`, `manual`
    /// before the second swap and `after` after it.
    static func renew(before: String = "", extra: String = "", manual: String = "\t\tle.mu.Unlock()\n", after: String = "") -> String {
        """
        func (le *lessor) Renew(expired bool, swap func(*func())) error {
        \(before)\tle.mu.Lock()
        \tunlock := func() { le.mu.Unlock() }
        \tdefer func() { unlock() }()
        \(extra)\tif !le.ok {
        \t\treturn errors.New("not primary")
        \t}
        \tif le.ok && !expired {
        \t\tle.mu.Unlock()
        \t\tunlock = func() {}
        \t\treturn nil
        \t}
        \tif expired {
        \(manual)\t\tunlock = func() {}
        \(after)\t\treturn errors.New("expired")
        \t}
        \treturn nil
        }
        """
    }

    @Test func swappedAfterTheManualUnlockReleases() throws {
        #expect(try Self.findings(Self.renew(), "renew") == [])
        let handOn = """
        func (le *lessor) Seal() error {
        \tle.mu.Lock()
        \tcleanup := func() {
        \t\tle.ok = false
        \t\tle.mu.Unlock()
        \t}
        \tdefer func() { cleanup() }()
        \tif !le.ok {
        \t\treturn errors.New("first stage")
        \t}
        \tle.mu.Unlock()
        \tle.other.Lock()
        \tcleanup = func() { le.other.Unlock() }
        \tif !le.ok {
        \t\treturn errors.New("second stage")
        \t}
        \treturn nil
        }
        """
        #expect(try Self.findings(handOn, "hand-on") == [])
    }

    @Test(arguments: [
        ("no-unlock-before", renew(manual: "")),
        ("locked-again", renew(after: "\t\tle.mu.Lock()\n")),
        ("by-address", renew(extra: "\tswap(&unlock)\n")),
        ("swapped-in-a-literal", renew(extra: "\tdisarm := func() { unlock = func() {} }\n\tdisarm()\n")),
        ("called-from-a-goroutine", renew(extra: "\tgo func() { unlock() }()\n")),
        ("shadowed-by-a-parameter", renew(extra: "\tdefer func(unlock func()) { unlock() }(func() {})\n")),
        ("package-function-of-that-name", "func unlock() {}\n\n" + renew(before: "\tunlock()\n")),
        ("goto-past-the-unlock", renew(manual: "\t\tif le.ok {\n\t\t\tgoto swap\n\t\t}\n\t\tle.mu.Unlock()\n\tswap:\n")),
    ])
    func swapsThatMayKeepTheLockAreReported(_ name: String, _ function: String) throws {
        let lines = try Self.findings(function, name)
        #expect(!lines.isEmpty, "\(name): no finding")
    }
}
