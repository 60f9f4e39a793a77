/// The goroutines of a dump with every index resolved: strings for states, functions, files and
/// labels, frames as a collection, the `created by` frame as a frame.
///
/// The parser keeps a dump as flat tables that the engines index into (`GoroutineDump.goroutines`,
/// `stacks`, `frames`, `names`, …). This is the same data for a person writing a tool on top of
/// leakscope: nothing to look up, nothing copied until it is read. Positions are those of
/// `GoroutineDump.goroutines`, so an index from `GoroutineBucket.members` or
/// `CreationTree.Node.members` picks the same goroutine here.
///
/// ```swift
/// let dump = try GoroutineDump.parse(text)
/// for g in dump.resolvedGoroutines where g.state == "chan receive" && g.waitMinutes >= 10 {
///     let top = g.frames.first.map { "\($0.function) at \($0.file):\($0.line)" } ?? "no frames"
///     print("goroutine \(g.id): \(top), tenant \(g.labels["tenant"] ?? "-")")
/// }
/// ```
///
/// Each element is resolved when it is read, so walking a large dump this way allocates strings
/// that the flat tables avoid; engines should keep using the tables.
public struct ResolvedGoroutines: RandomAccessCollection, Sendable {
    let storage: DumpStorage

    init(_ dump: GoroutineDump) { storage = DumpStorage(dump) }

    /// The dump the views read from.
    public var dump: GoroutineDump { storage.dump }

    /// 0.
    public var startIndex: Int { 0 }
    /// The number of goroutines (entries, for a profile).
    public var endIndex: Int { storage.dump.goroutines.count }

    /// The goroutine at `position` in `GoroutineDump.goroutines`.
    public subscript(position: Int) -> GoroutineView {
        precondition(indices.contains(position), "goroutine index \(position) out of range 0..<\(endIndex)")
        return GoroutineView(storage: storage, index: position)
    }
}

extension GoroutineDump {
    /// Every goroutine as a `GoroutineView`, in input order. See `ResolvedGoroutines`.
    public var resolvedGoroutines: ResolvedGoroutines { ResolvedGoroutines(self) }
}

/// Holds one copy of the dump for every view made from it, so a view costs one reference
/// rather than a copy of each table.
final class DumpStorage: Sendable {
    let dump: GoroutineDump
    init(_ dump: GoroutineDump) { self.dump = dump }
}

/// One goroutine of a dump (or one record of a count or proto profile), with its state, frames,
/// creator and labels as strings.
///
/// ```swift
/// let g = dump.resolvedGoroutines[0]
/// g.id            // 7
/// g.state         // "chan receive"
/// g.frames[0]     // FrameView(function: "main.worker", file: "/src/app/main.go", line: 42, …)
/// g.createdBy     // the `created by main.start in goroutine 1` frame
/// g.labels        // ["tenant": "a"]
/// ```
public struct GoroutineView: Sendable {
    let storage: DumpStorage
    /// Position in `GoroutineDump.goroutines`.
    public let index: Int

    /// The flat record behind this view, for passing to the dump's own accessors.
    public var goroutine: Goroutine { storage.dump.goroutines[index] }

    /// The goroutine ID; -1 for count and proto profiles, which have none.
    public var id: Int64 { goroutine.id }
    /// How many goroutines this entry stands for: 1 in a traceback, the record's count in a profile.
    public var count: Int64 { goroutine.count }
    /// The bracketed status as printed, without the marks that are `flags` (`(leaked)`, `(scan)`):
    /// a wait reason such as `chan receive` or a status such as `running`. Empty for profiles.
    public var state: String { storage.dump.names[goroutine.state] }
    /// The `, N minutes` wait age; 0 when the runtime did not print one (under a minute).
    public var waitMinutes: Int { Int(goroutine.waitMinutes) }
    /// Header marks: leaked, locked to thread, durable, scan, system, truncated, ….
    public var flags: GoroutineFlags { goroutine.flags }
    /// The `in goroutine N` ID of the creator; 0 when not printed.
    public var parentID: Int64 { goroutine.parentID }
    /// The `synctest bubble N` ID, or 0.
    public var synctestBubble: Int64 { goroutine.synctestBubble }
    /// 1-based line of the goroutine's header in the input.
    public var line: Int { Int(goroutine.line) }

    /// The stack, innermost frame first.
    public var frames: StackView { StackView(storage: storage, stack: goroutine.stack) }

    /// The `created by` frame, or nil when none was printed (the main goroutine, profiles).
    public var createdBy: FrameView? {
        let site = goroutine.createdBy
        return site >= 0 ? FrameView(storage.dump.creationSites[Int(site)], names: storage.dump.names) : nil
    }

    /// The pprof labels. A key that occurs twice (possible only in a hand-made proto profile)
    /// keeps its first value.
    public var labels: [String: String] {
        let dump = storage.dump
        var result: [String: String] = [:]
        for pair in dump.labelPairs(of: goroutine.labelSet) where result[dump.names[pair.key]] == nil {
            result[dump.names[pair.key]] = dump.names[pair.value]
        }
        return result
    }

    /// The `[originating from goroutine N]` blocks (`GODEBUG=tracebackancestors=N`), nearest first.
    public var ancestors: [AncestorView] {
        storage.dump.ancestors(of: goroutine).map { AncestorView(storage: storage, ancestor: $0) }
    }
}

/// The frames of one stack, innermost first, each resolved when read.
public struct StackView: RandomAccessCollection, Sendable {
    let storage: DumpStorage
    let range: Range<Int>
    /// Where the runtime left frames out (deep stacks), or nil when the stack is complete.
    public let elision: Elision?

    init(storage: DumpStorage, stack: StackID) {
        self.storage = storage
        let stored = storage.dump.stacks[Int(stack.rawValue)]
        range = Int(stored.frames.lowerBound)..<Int(stored.frames.upperBound)
        elision = stored.elision
    }

    /// 0, the innermost frame.
    public var startIndex: Int { 0 }
    /// The number of frames printed.
    public var endIndex: Int { range.count }

    /// The frame at `position`, 0 being the innermost.
    public subscript(position: Int) -> FrameView {
        precondition(indices.contains(position), "frame index \(position) out of range 0..<\(endIndex)")
        return FrameView(storage.dump.frames[range.lowerBound + position], names: storage.dump.names)
    }
}

/// One frame with its names as strings.
public struct FrameView: Hashable, Sendable {
    /// The function as printed, e.g. `net/http.(*conn).serve` or `main.work[...]`.
    public var function: String
    /// The source file as printed; `?` or `<autogenerated>` are possible, "" when the input had none.
    public var file: String
    /// The source line; 0 when the input had none.
    public var line: Int
    /// The `+0x…` offset of the PC from the function's entry, or nil when not printed.
    public var pcOffset: UInt32?
    /// Whether the call was inlined into the next frame out.
    public var isInlined: Bool

    init(_ frame: Frame, names: NameTable) {
        function = names[frame.function]
        file = names[frame.file]
        line = Int(frame.line)
        pcOffset = frame.flags.contains(.hasPCOffset) ? frame.pcOffset : nil
        isInlined = frame.isInlined
    }

    /// The function split into package, receiver and name.
    public var name: GoFunctionName { GoFunctionName(function) }
}

/// An `[originating from goroutine N]:` block: the stack of an ancestor when it created the
/// next goroutine down the chain.
public struct AncestorView: Sendable {
    /// The ancestor's goroutine ID.
    public var id: Int64
    /// Its stack at the time, innermost first.
    public var frames: StackView
    /// The ancestor's own `created by` frame, if printed.
    public var createdBy: FrameView?

    init(storage: DumpStorage, ancestor: Ancestor) {
        id = ancestor.id
        frames = StackView(storage: storage, stack: ancestor.stack)
        createdBy = ancestor.createdBy >= 0
            ? FrameView(storage.dump.creationSites[Int(ancestor.createdBy)], names: storage.dump.names) : nil
    }
}
