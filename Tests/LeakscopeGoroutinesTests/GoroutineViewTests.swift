import Testing
// A plain import on purpose: the resolved view is for library users, so the test only uses
// what they can see.
import LeakscopeGoroutines

/// `GoroutineDump.resolvedGoroutines`: the flat tables read back as strings.
@Suite struct GoroutineViewTests {
    /// A made-up service: the main goroutine, a queue consumer that has waited 12 minutes with
    /// labels and an inlined frame, and a cache goroutine the leak detector flagged, printed with
    /// `GODEBUG=tracebackancestors=1`.
    static let traceback = """
        goroutine 1 [running]:
        main.main()
        \t/home/dev/shop/main.go:31 +0x1d

        goroutine 18 [chan receive, 12 minutes, locked to thread] {"job id": "nightly export", tenant: acme}:
        shop/internal/queue.(*Consumer).next(0xc000120000)
        \t/home/dev/shop/internal/queue/consumer.go:88 +0x45
        shop/internal/queue.(*Consumer).Run(...)
        \t/home/dev/shop/internal/queue/consumer.go:61
        main.startConsumers.func1()
        \t/home/dev/shop/main.go:47 +0x2b
        created by main.startConsumers in goroutine 1
        \t/home/dev/shop/main.go:45 +0x66

        goroutine 23 [select (leaked)]:
        main.(*Cache).evictLoop(0xc0000a4000)
        \t/home/dev/shop/cache.go:102 +0x9c
        created by main.NewCache in goroutine 18
        \t/home/dev/shop/cache.go:40 +0x11a
        [originating from goroutine 18]:
        main.NewCache(...)
        \t/home/dev/shop/cache.go:40 +0x11a
        main.startConsumers.func1(...)
        \t/home/dev/shop/main.go:47 +0x2b
        created by main.startConsumers
        \t/home/dev/shop/main.go:45 +0x66

        """

    @Test func resolvesStatesFramesCreatorsAndLabels() throws {
        let dump = try GoroutineDump.parse(Self.traceback)
        #expect(dump.warnings.isEmpty, "\(dump.warnings)")
        let all = dump.resolvedGoroutines
        #expect(all.map(\.id) == [1, 18, 23])

        let main = all[0]
        #expect(main.state == "running" && main.waitMinutes == 0 && main.flags.isEmpty)
        #expect(main.line == 1 && main.count == 1)
        #expect(main.frames.map(\.function) == ["main.main"])
        #expect(main.frames.first?.file == "/home/dev/shop/main.go")
        #expect(main.frames.first?.line == 31 && main.frames.first?.pcOffset == 0x1d)
        #expect(main.createdBy == nil && main.labels.isEmpty && main.ancestors.isEmpty)

        let consumer = all[1]
        #expect(consumer.line == 5)
        #expect(consumer.state == "chan receive")
        #expect(consumer.waitMinutes == 12)
        #expect(consumer.flags.contains(.lockedToThread) && !consumer.flags.contains(.leaked))
        #expect(consumer.labels == ["job id": "nightly export", "tenant": "acme"])
        #expect(consumer.frames.map(\.function) == [
            "shop/internal/queue.(*Consumer).next", "shop/internal/queue.(*Consumer).Run", "main.startConsumers.func1",
        ])
        #expect(consumer.frames.map(\.line) == [88, 61, 47])
        #expect(consumer.frames.elision == nil)
        let inlined = consumer.frames[1]
        #expect(inlined.isInlined && inlined.pcOffset == nil)
        #expect(inlined.file == "/home/dev/shop/internal/queue/consumer.go")
        #expect(!consumer.frames[0].isInlined && consumer.frames[0].pcOffset == 0x45)
        #expect(consumer.frames[0].name.package == "shop/internal/queue")
        #expect(consumer.frames[0].name.receiver == "*Consumer" && consumer.frames[0].name.name == "next")
        let creator = try #require(consumer.createdBy)
        #expect(creator.function == "main.startConsumers" && creator.file == "/home/dev/shop/main.go")
        #expect(creator.line == 45 && creator.pcOffset == 0x66)
        #expect(consumer.parentID == 1)

        // "(leaked)" is a flag, not part of the state.
        let cache = all[2]
        #expect(cache.state == "select" && cache.flags.contains(.leaked))
        #expect(cache.frames.map(\.function) == ["main.(*Cache).evictLoop"])
        #expect(cache.createdBy?.function == "main.NewCache" && cache.parentID == 18)
        #expect(cache.ancestors.count == 1)
        let ancestor = try #require(cache.ancestors.first)
        #expect(ancestor.id == 18)
        #expect(ancestor.frames.map(\.function) == ["main.NewCache", "main.startConsumers.func1"])
        #expect(ancestor.frames.map(\.pcOffset) == [0x11a, 0x2b])
        // Ancestor frames print "(...)" but carry an offset: they are not inlined.
        #expect(ancestor.frames.allSatisfy { !$0.isInlined })
        #expect(ancestor.createdBy?.function == "main.startConsumers" && ancestor.createdBy?.line == 45)
    }

    /// Positions are those of the flat tables, so bucket members index the view directly.
    @Test func positionsMatchTheFlatTables() throws {
        let dump = try GoroutineDump.parse(Self.traceback)
        let all = dump.resolvedGoroutines
        #expect(all.count == dump.goroutines.count)
        for (i, g) in dump.goroutines.enumerated() {
            let view = all[i]
            #expect(view.index == i && view.goroutine == g)
            #expect(view.state == dump.state(of: g))
            let flat = dump.frames(of: g)
            #expect(view.frames.count == flat.count)
            for (frame, stored) in zip(view.frames, flat) {
                #expect(frame.function == dump.names[stored.function] && frame.file == dump.names[stored.file])
                #expect(frame.line == Int(stored.line) && frame.isInlined == stored.isInlined)
            }
            #expect(view.createdBy?.function == dump.creator(of: g).map { dump.names[$0.function] })
        }
        let leaked = dump.buckets(by: .stack).first { $0.leaked > 0 }
        let member = try #require(leaked?.members.first)
        #expect(all[Int(member)].id == 23)
    }

    @Test func countProfileRecordsHaveNoIDOrState() throws {
        let text = """
            goroutine profile: total 3
            3 @ 0x43e8ce 0x4a1b25 0x472e41
            # labels: {"tenant":"acme"}
            #\t0x4a1b24\tmain.poll+0x44\t/home/dev/shop/poll.go:12
            #\t0x472e40\tmain.loop+0x20\t/home/dev/shop/poll.go:30

            """
        let dump = try GoroutineDump.parse(text)
        let records = dump.resolvedGoroutines
        #expect(records.count == 1)
        let record = try #require(records.first)
        #expect(record.id == -1 && record.count == 3 && record.state == "")
        #expect(record.labels == ["tenant": "acme"])
        #expect(record.frames.map(\.function) == ["main.poll", "main.loop"])
        #expect(record.frames.map(\.pcOffset) == [0x44, 0x20])
        #expect(record.frames.first?.line == 12 && record.createdBy == nil)
    }
}
