/// One goroutine read from a dump, or one record of a count profile.
///
/// Everything variable-length lives in the owning `GoroutineDump`'s tables and is referred
/// to by index: the stack (`stack`, shared by every goroutine with identical frames), the
/// label set, the creation site and the ancestors. Use the dump's accessors
/// (`frames(of:)`, `labels(of:)`, `creator(of:)`, `ancestors(of:)`, `state(of:)`), or read
/// `GoroutineDump.resolvedGoroutines`, where each goroutine is a `GoroutineView` with strings.
public struct Goroutine: Hashable, Sendable {
    /// The goroutine ID, or -1 when the source has none (debug=1 and proto profiles).
    public var id: Int64
    /// How many goroutines this entry stands for: 1 for a traceback, a record's count for
    /// count and proto profiles.
    public var count: Int64
    /// The bracketed status exactly as printed, without the `(leaked)`/`(scan)`/added
    /// `(durable)` marks and without the comma-separated extras: a wait reason such as
    /// `chan receive (nil chan)` or a status such as `running`. Empty for count and proto profiles.
    public var state: NameID
    /// The `, N minutes` wait age; 0 when not printed (the runtime prints it from one minute on).
    public var waitMinutes: Int32
    /// Header marks and facts found while parsing (leaked, locked, system, truncated, …).
    public var flags: GoroutineFlags
    /// The `, synctest bubble N` ID, or 0.
    public var synctestBubble: Int64
    /// Index into `GoroutineDump.stacks`.
    public var stack: StackID
    /// Index into `GoroutineDump.labelSets`; `LabelSetID.none` when unlabelled.
    public var labelSet: LabelSetID
    /// Index into `GoroutineDump.creationSites` for the `created by` frame, or -1.
    public var createdBy: Int32
    /// The `in goroutine N` parent ID of the `created by` line; 0 when not printed
    /// (Go before 1.21, goroutine 1, or no creator).
    public var parentID: Int64
    /// Range of `GoroutineDump.ancestors` (`GODEBUG=tracebackancestors=N` blocks).
    public var ancestors: Range<Int32>
    /// 1-based line of the header in the input (of the record for count profiles).
    public var line: Int32

    /// A goroutine whose stack, labels, creator and ancestors are indices into one dump's tables.
    public init(id: Int64, count: Int64 = 1, state: NameID, waitMinutes: Int32 = 0, flags: GoroutineFlags = [],
                synctestBubble: Int64 = 0, stack: StackID, labelSet: LabelSetID = .none, createdBy: Int32 = -1,
                parentID: Int64 = 0, ancestors: Range<Int32> = 0..<0, line: Int32 = 0) {
        self.id = id
        self.count = count
        self.state = state
        self.waitMinutes = waitMinutes
        self.flags = flags
        self.synctestBubble = synctestBubble
        self.stack = stack
        self.labelSet = labelSet
        self.createdBy = createdBy
        self.parentID = parentID
        self.ancestors = ancestors
        self.line = line
    }

    /// Whether the header said `locked to thread`.
    public var isLocked: Bool { flags.contains(.lockedToThread) }
    /// Whether the goroutineleak detector marked it `(leaked)`.
    public var isLeaked: Bool { flags.contains(.leaked) }
}

/// Header marks of a goroutine.
public struct GoroutineFlags: OptionSet, Hashable, Sendable {
    /// The flags as bits.
    public var rawValue: UInt16
    /// Flags from their bits.
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// `, locked to thread`.
    public static let lockedToThread = GoroutineFlags(rawValue: 1 << 0)
    /// ` (leaked)`: the goroutineleak detector found it blocked on an unreachable primitive.
    public static let leaked = GoroutineFlags(rawValue: 1 << 1)
    /// ` (durable)`, or a wait reason ending in `(durable)`: blocked inside a synctest bubble.
    public static let durable = GoroutineFlags(rawValue: 1 << 2)
    /// ` (scan)`: the GC was scanning its stack when the dump was taken.
    public static let scan = GoroutineFlags(rawValue: 1 << 3)
    /// A runtime-internal goroutine (GC workers, finalizers, …), which the runtime shows only
    /// with GOTRACEBACK=system or higher. Decided from the entry function (`runtime.*`).
    public static let system = GoroutineFlags(rawValue: 1 << 4)
    /// `goroutine running on other thread; stack unavailable`.
    public static let stackUnavailable = GoroutineFlags(rawValue: 1 << 5)
    /// The header carried `gp=… m=…` (GOTRACEBACK≥system or a crash).
    public static let hasMachineInfo = GoroutineFlags(rawValue: 1 << 6)
    /// The goroutine was cut short by the end of the input.
    public static let truncated = GoroutineFlags(rawValue: 1 << 7)
}

/// A `[originating from goroutine N]:` block (`GODEBUG=tracebackancestors=N`).
public struct Ancestor: Hashable, Sendable {
    /// The ancestor's goroutine ID.
    public var id: Int64
    /// Its stack when it created the next goroutine down the chain.
    public var stack: StackID
    /// Index into `GoroutineDump.creationSites`, or -1.
    public var createdBy: Int32

    /// An ancestor block whose stack and creator are indices into one dump's tables.
    public init(id: Int64, stack: StackID, createdBy: Int32 = -1) {
        self.id = id
        self.stack = stack
        self.createdBy = createdBy
    }
}

/// Index of a distinct stack in `GoroutineDump.stacks`.
public struct StackID: Hashable, Comparable, Sendable {
    /// The index.
    public var rawValue: Int32
    /// The ID of `GoroutineDump.stacks[rawValue]`.
    public init(rawValue: Int32) { self.rawValue = rawValue }
    /// Orders by index, which is the order stacks were first seen in the input.
    public static func < (a: StackID, b: StackID) -> Bool { a.rawValue < b.rawValue }
}

/// Index of a distinct label set in `GoroutineDump.labelSets`; 0 is the empty set.
public struct LabelSetID: Hashable, Comparable, Sendable {
    /// The index.
    public var rawValue: Int32
    /// The ID of `GoroutineDump.labelSets[rawValue]`.
    public init(rawValue: Int32) { self.rawValue = rawValue }
    /// The empty label set: the goroutine has no labels.
    public static let none = LabelSetID(rawValue: 0)
    /// Orders by index, which is the order label sets were first seen in the input.
    public static func < (a: LabelSetID, b: LabelSetID) -> Bool { a.rawValue < b.rawValue }
}

/// One pprof label, as interned names.
public struct LabelPair: Hashable, Sendable {
    /// The label's key, in the dump's `names`.
    public var key: NameID
    /// The label's value, in the dump's `names`.
    public var value: NameID
    /// A pair of names from one dump's `names`.
    public init(key: NameID, value: NameID) {
        self.key = key
        self.value = value
    }
}

/// A distinct frame sequence, stored once however many goroutines share it.
public struct Stack: Hashable, Sendable {
    /// Range of `GoroutineDump.frames`, innermost (leaf) first.
    public var frames: Range<Int32>
    /// Where the runtime left frames out, if it did.
    public var elision: Elision?

    /// A stack over a range of one dump's `frames`.
    public init(frames: Range<Int32>, elision: Elision? = nil) {
        self.frames = frames
        self.elision = elision
    }
}

/// `...N frames elided...` (Go 1.21+: the first 50 and last 50 of a deep stack are printed)
/// or `...additional frames elided...` (older runtimes and ancestor blocks: the rest is gone).
public struct Elision: Hashable, Sendable {
    /// How many printed frames precede the marker.
    public var afterFrame: Int32
    /// The count the marker states; nil for `...additional frames elided...`.
    public var count: Int32?

    /// An elision marker after `afterFrame` printed frames; `count` nil for `...additional frames elided...`.
    public init(afterFrame: Int32, count: Int32?) {
        self.afterFrame = afterFrame
        self.count = count
    }
}
