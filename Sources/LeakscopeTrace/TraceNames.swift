/// One frame of a stack in a trace: interned function and file names and a line.
public struct TraceFrame: Sendable, Hashable {
    /// The function name's index in `TraceNames.strings`.
    public var function: Int32
    /// The file name's index in `TraceNames.strings`.
    public var file: Int32
    /// The line number.
    public var line: Int32
}

/// Strings and stacks of a whole trace, interned: the runtime writes a fresh string and stack table in
/// every generation, mostly repeating the last one, so each distinct string and stack is stored once and
/// given an ID that stays the same across generations. Index 0 of both is "none".
///
/// A class, so handing it to a consumer with every event costs nothing.
public final class TraceNames {
    /// Distinct strings; `strings[0]` is the empty string.
    public private(set) var strings: [String] = [""]
    private var stringIDs: [String: Int32] = ["": 0]
    /// Frames of every distinct stack, innermost first, back to back.
    public private(set) var frames: [TraceFrame] = []
    /// `frames` range of each stack; `stackRanges[0]` is the empty stack.
    private var stackRanges: [Range<Int>] = [0..<0]
    private var stackIDs: [[TraceFrame]: Int32] = [[]: 0]

    /// The string with interned ID `id` ("" for an unknown ID).
    public func string(_ id: Int32) -> String {
        id >= 0 && Int(id) < strings.count ? strings[Int(id)] : ""
    }

    /// The frames of the stack with interned ID `id`, innermost first (empty for none).
    public func stack(_ id: Int32) -> ArraySlice<TraceFrame> {
        id > 0 && Int(id) < stackRanges.count ? frames[stackRanges[Int(id)]] : []
    }

    /// Number of distinct stacks, the empty one included.
    public var stackCount: Int { stackRanges.count }

    /// A copy for another thread to read while this one goes on interning: it shares the tables'
    /// storage until this one changes (copy on write) and cannot intern itself.
    func snapshot() -> TraceNames {
        let copy = TraceNames()
        copy.strings = strings
        copy.frames = frames
        copy.stackRanges = stackRanges
        return copy
    }

    func intern(string: String) -> Int32 {
        if let id = stringIDs[string] { return id }
        let id = Int32(strings.count)
        strings.append(string)
        stringIDs[string] = id
        return id
    }

    func intern(stack: [TraceFrame]) -> Int32 {
        if let id = stackIDs[stack] { return id }
        let id = Int32(stackRanges.count)
        stackRanges.append(frames.count..<frames.count + stack.count)
        frames.append(contentsOf: stack)
        stackIDs[stack] = id
        return id
    }
}

/// A generation's table from the IDs it uses on the wire to interned IDs: dense IDs in an array,
/// scattered ones (hostile or unusual traces) in a dictionary.
struct IDMap {
    private var dense: [Int32] = []
    private var sparse: [UInt64: Int32] = [:]

    /// Records `wire` → `interned`; false when `wire` was already defined in this generation.
    mutating func insert(_ wire: UInt64, _ interned: Int32) -> Bool {
        if wire < 1 << 20 {
            let index = Int(wire)
            if index >= dense.count {
                dense.append(contentsOf: repeatElement(-1, count: max(index + 1 - dense.count, dense.count)))
            }
            if dense[index] >= 0 { return false }
            dense[index] = interned
            return true
        }
        if sparse[wire] != nil { return false }
        sparse[wire] = interned
        return true
    }

    /// The interned ID of `wire`, or nil when the generation never defined it.
    @inline(__always)
    func lookup(_ wire: UInt64) -> Int32? {
        if wire < UInt64(dense.count) {
            let value = dense[Int(wire)]
            return value >= 0 ? value : nil
        }
        return sparse[wire]
    }

    mutating func removeAll() {
        dense.removeAll(keepingCapacity: true)
        sparse.removeAll(keepingCapacity: true)
    }

    /// The dense part as plain memory the caller deallocates: lookups in the merge loop then cost no
    /// reference counting. IDs past its end are looked up with `lookup(_:)`.
    func denseCopy() -> UnsafeMutableBufferPointer<Int32> {
        let copy = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(dense.count, 1))
        _ = copy.initialize(from: dense)
        return UnsafeMutableBufferPointer(rebasing: copy[0..<dense.count])
    }
}

/// A generation's string and stack ID maps' dense parts, as plain memory (see `IDMap.denseCopy`).
struct DenseTables {
    let stacks: UnsafeMutableBufferPointer<Int32>
    let strings: UnsafeMutableBufferPointer<Int32>

    init(stacks: IDMap, strings: IDMap) {
        self.stacks = stacks.denseCopy()
        self.strings = strings.denseCopy()
    }

    func deallocate() {
        stacks.deallocate()
        strings.deallocate()
    }
}
