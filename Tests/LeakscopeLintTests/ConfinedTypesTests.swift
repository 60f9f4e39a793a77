import Foundation
import Testing
import LeakscopeGoSource
import LeakscopeLint
import LeakscopeTestSupport

/// A lifecycle method (`Start`) of a type no interface value can hold runs where the module calls
/// it: started once from main, its stranded sender is `low`. Each way a value can reach an
/// interface keeps the method `high`: another package naming the type's maker, a struct embedding
/// it, a type switch naming it.
@Suite struct ConfinedTypesTests {
    static let strand = CommandHandlerTests.body

    static func daemon(_ type: String) -> String {
        "type \(type) struct{}\n\nfunc (d *\(type)) Start(ctx context.Context) error {\n\(strand)\n}\n"
    }

    static let files: [String: String] = [
        "go.mod": "module example.com/fleet\n\ngo 1.22\n",
        "internal/daemons/daemons.go": """
        package daemons

        import (
        \t"context"
        \t"errors"
        \t"os"
        \t"time"
        )

        func work() error { _, err := os.Stat("."); return err }

        // Keeper is made by its maker and used only as a receiver.
        \(daemon("Keeper"))
        func NewKeeper() *Keeper { return &Keeper{} }

        // Shared is made here too, but main holds one as an interface.
        \(daemon("Shared"))
        func NewShared() *Shared { return &Shared{} }

        // Embedded lends its Start to wrapper.
        \(daemon("Embedded"))
        type wrapper struct{ *Embedded }

        // Switched is named in a type switch: some interface value may hold one.
        \(daemon("Switched"))
        func kind(v any) string {
        \tswitch v.(type) {
        \tcase *Switched:
        \t\treturn "switched"
        \t}
        \treturn ""
        }

        // StartAll starts each once.
        func StartAll(ctx context.Context) {
        \tk := NewKeeper()
        \tgo k.Start(ctx)
        \te := &Embedded{}
        \t_ = wrapper{}
        \tgo e.Start(ctx)
        \ts := &Switched{}
        \tgo s.Start(ctx)
        }
        """,
        "cmd/fleet/main.go": """
        package main

        import (
        \t"context"

        \t"example.com/fleet/internal/daemons"
        )

        type starter interface{ Start(context.Context) error }

        func main() {
        \tctx := context.Background()
        \tdaemons.StartAll(ctx)
        \tvar s starter = daemons.NewShared()
        \t_ = s.Start(ctx)
        }
        """,
    ]

    func confidences(reversed: Bool) throws -> [String: Confidence] {
        try RunsOnceTests.confidences(of: Self.files, in: "confined-types", packages: 2, reversed: reversed)
    }

    @Test func onlyTheConfinedDaemonRunsOnce() throws {
        let found = try confidences(reversed: false)
        let base = "example.com/fleet/internal/daemons"
        #expect(found == [
            "\(base).(*Keeper).Start": .low,
            "\(base).(*Shared).Start": .high,
            "\(base).(*Embedded).Start": .high,
            "\(base).(*Switched).Start": .high,
        ])
        #expect(try confidences(reversed: true) == found)
    }
}
