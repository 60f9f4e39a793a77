/// A map from goroutine ID to `Value`, fast for the way Go hands out IDs.
///
/// The runtime numbers goroutines from 1 upwards and never reuses an ID, so live goroutines sit in a
/// few dense ranges. IDs are kept in pages of 4,096 slots, a page is freed when its last goroutine
/// ends, and memory stays proportional to the ranges that still hold live goroutines. IDs above
/// 2^32 (never written by the runtime; a hostile trace) go to a dictionary.
///
/// Its lookups sit on the hottest path of a consumer in another module (`LifecycleBuilder`), so
/// they are `@inlinable`: unspecialised, every call paid a generic-metadata lookup for `Value?`
/// (60 % of `leakscope trace`'s CPU on a 120 MB trace).
public struct GoroutineTable<Value> {
    /// Owns one page's slots; only touched when a page is created or freed.
    @usableFromInline final class Page {
        @usableFromInline let slots: UnsafeMutablePointer<Value?>
        @usableFromInline init() {
            slots = .allocate(capacity: GoroutineTable.pageSize)
            slots.initialize(repeating: nil, count: GoroutineTable.pageSize)
        }
        deinit {
            slots.deinitialize(count: GoroutineTable.pageSize)
            slots.deallocate()
        }
    }

    @usableFromInline static var pageSize: Int { 4096 }
    /// The pages, for their lifetime. Lookups go through `slots`, which needs no reference counting.
    @usableFromInline var pages: [Page?] = []
    /// Each page's slots (nil for a page not allocated), and how many of them are filled.
    @usableFromInline var slots: [UnsafeMutablePointer<Value?>?] = []
    @usableFromInline var live: [Int32] = []
    @usableFromInline var overflow: [UInt64: Value] = [:]
    @usableFromInline var storedCount = 0
    /// Number of goroutines in the table.
    @inlinable public var count: Int { storedCount }

    /// An empty table.
    public init() {}

    /// The value for goroutine `id`; setting nil removes it.
    @inlinable public subscript(id: UInt64) -> Value? {
        @inline(__always) get {
            let page = Int(truncatingIfNeeded: id >> 12)
            if id >> 32 == 0 {
                guard page < slots.count, let pageSlots = slots[page] else { return nil }
                return pageSlots[Int(id & 4095)]
            }
            return overflow[id]
        }
        set {
            guard id >> 32 == 0 else {
                let old = overflow[id]
                overflow[id] = newValue
                storedCount += (newValue == nil ? 0 : 1) - (old == nil ? 0 : 1)
                return
            }
            let index = Int(id >> 12)
            if index >= slots.count {
                guard newValue != nil else { return }
                let grow = index + 1 - slots.count
                pages.append(contentsOf: repeatElement(nil, count: grow))
                slots.append(contentsOf: repeatElement(nil, count: grow))
                live.append(contentsOf: repeatElement(0, count: grow))
            }
            if slots[index] == nil {
                guard newValue != nil else { return }
                let page = Page()
                pages[index] = page
                slots[index] = page.slots
            }
            let slot = slots[index]! + Int(id & 4095)
            let had = slot.pointee != nil
            slot.pointee = newValue
            let delta = (newValue == nil ? 0 : 1) - (had ? 1 : 0)
            live[index] += Int32(delta)
            storedCount += delta
            if live[index] == 0 {
                slots[index] = nil
                pages[index] = nil
            }
        }
    }

    /// Sets goroutine `id`'s value. When the goroutine is already in the table this writes its slot
    /// in place, skipping the page and count bookkeeping of the subscript's setter: the cheap way to
    /// record a live goroutine's new state, which is most events.
    @inlinable public mutating func update(_ id: UInt64, to value: Value) {
        if id >> 32 == 0 {
            let index = Int(truncatingIfNeeded: id >> 12)
            if index < slots.count, let page = slots[index] {
                let slot = page + Int(id & 4095)
                if case .some = slot.pointee {
                    slot.pointee = value
                    return
                }
            }
        }
        self[id] = value
    }

    /// Where goroutine `id`'s value is stored, when it is in the table and its ID below 2^32: read and
    /// change it in place with one lookup (a read and `update(_:to:)` take two). Valid until the next
    /// change through the subscript's setter; nil otherwise.
    @inlinable public func storage(of id: UInt64) -> UnsafeMutablePointer<Value?>? {
        guard id >> 32 == 0 else { return nil }
        let index = Int(truncatingIfNeeded: id >> 12)
        guard index < slots.count, let page = slots[index] else { return nil }
        let slot = page + Int(id & 4095)
        if case .none = slot.pointee { return nil }
        return slot
    }

    /// Every goroutine and its value, in no particular order.
    @inlinable public func forEach(_ body: (UInt64, Value) -> Void) {
        for (index, page) in slots.enumerated() {
            guard let page else { continue }
            for slot in 0..<Self.pageSize {
                if let value = page[slot] { body(UInt64(index) << 12 | UInt64(slot), value) }
            }
        }
        for (id, value) in overflow { body(id, value) }
    }
}

/// A goroutine's reconstructed state and the last sequence number the runtime gave it. Sequence
/// numbers order a goroutine's starts and wake-ups across threads when timestamps cannot: a start or
/// wake-up with sequence n happens right after the one with n-1 of the same generation, and a status
/// event resets the count at 0.
struct GoroutineSlot {
    var state: GoroutineState
    var generation: UInt64
    var sequence: UInt64

    /// Whether an event carrying `sequence` in `generation` comes next for this goroutine.
    @inline(__always)
    func isFollowed(by sequence: UInt64, in generation: UInt64) -> Bool {
        generation == self.generation && sequence == self.sequence &+ 1
    }
}

/// Each goroutine's reconstructed state; goroutines not in the table do not exist.
struct GoroutineStates {
    private var table = GoroutineTable<GoroutineSlot>()

    subscript(id: UInt64) -> GoroutineState {
        @inline(__always) get { table[id]?.state ?? .notExist }
    }

    /// The goroutine's slot, nil when it does not exist.
    @inline(__always)
    func slot(_ id: UInt64) -> GoroutineSlot? { table[id] }

    /// Records `state`; `sequence` (with `generation`) when the event carried one, else keeps the old.
    mutating func set(_ id: UInt64, _ state: GoroutineState, generation: UInt64, sequence: UInt64?) {
        if state == .notExist {
            table[id] = nil
            return
        }
        if let sequence {
            table.update(id, to: GoroutineSlot(state: state, generation: generation, sequence: sequence))
        } else if let storage = table.storage(of: id) {
            storage.pointee?.state = state
        } else if var slot = table[id] {
            slot.state = state
            table.update(id, to: slot)
        } else {
            table[id] = GoroutineSlot(state: state, generation: generation, sequence: 0)
        }
    }
}
