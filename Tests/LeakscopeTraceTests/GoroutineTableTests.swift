import Testing
import LeakscopeTestSupport
import LeakscopeTrace

/// The goroutine table against a dictionary doing the same operations: dense IDs across pages,
/// IDs above 2^32, removal, and `update` both in place and as an insertion.
struct GoroutineTableTests {
    @Test func matchesADictionaryUnderInsertUpdateAndRemove() {
        var table = GoroutineTable<Int>()
        var model: [UInt64: Int] = [:]
        var generator = SplitMix64(seed: 42)
        let ids: [UInt64] = (0..<3_000).map { _ in
            generator.next() % 5 == 0 ? (1 << 33) + generator.next() % 64 : 1 + generator.next() % 20_000
        }
        for (step, id) in ids.enumerated() {
            switch generator.next() % 4 {
            case 0: table[id] = step; model[id] = step
            case 1: table.update(id, to: step); model[id] = step
            case 2: table[id] = nil; model[id] = nil
            default: #expect(table[id] == model[id], "id \(id) at step \(step)")
            }
            #expect(table.count == model.count, "count at step \(step)")
        }
        var seen: [UInt64: Int] = [:]
        table.forEach { seen[$0] = $1 }
        #expect(seen == model)
    }

    @Test func updateOfAnAbsentGoroutineInsertsIt() {
        var table = GoroutineTable<String>()
        table.update(7, to: "a")
        table.update(7, to: "b")
        #expect(table[7] == "b")
        #expect(table.count == 1)
        table[7] = nil
        #expect(table.count == 0)
        #expect(table[7] == nil)
    }
}
