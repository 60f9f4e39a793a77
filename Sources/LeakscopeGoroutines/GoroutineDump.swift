import LeakscopeProfile

/// Everything read from one goroutine dump or goroutine profile.
///
/// Tables are flat and shared: a goroutine refers to its stack, label set, creation site and
/// ancestors by index, and identical stacks and label sets are stored once. Frames and labels
/// name things through `names`. The engines read these tables; to read goroutines with
/// their strings resolved instead, use `resolvedGoroutines`.
public struct GoroutineDump: Sendable {
    /// Which kind of input this was.
    public var format: DumpFormat = .traceback
    /// `goroutine` or `goroutineleak` for count and proto profiles; "" for tracebacks.
    public var profileName: String = ""
    /// The `total N` of a count profile (or the sum of a proto profile's counts); nil for tracebacks.
    public var declaredTotal: Int64? = nil
    /// When the dump was taken, in nanoseconds since 1970, if it says (a proto profile's
    /// `time_nanos`); nil for text dumps, which carry no wall time.
    public var takenAtNanos: Int64? = nil

    /// Every function, file, state and label string of the dump; the tables refer to them by `NameID`.
    public var names = NameTable()
    /// In input order.
    public var goroutines: ContiguousArray<Goroutine> = []
    /// Distinct stacks; `Goroutine.stack` and `Ancestor.stack` index this.
    public var stacks: ContiguousArray<Stack> = []
    /// Frames of all distinct stacks, back to back.
    public var frames: ContiguousArray<Frame> = []
    /// Distinct label sets as ranges of `labelPairs`, sorted by key; entry 0 is the empty set.
    public var labelSets: ContiguousArray<Range<Int32>> = [0..<0]
    /// The pairs of all distinct label sets, back to back.
    public var labelPairs: ContiguousArray<LabelPair> = []
    /// Distinct `created by` frames.
    public var creationSites: ContiguousArray<Frame> = []
    /// Ancestor blocks of all goroutines; `Goroutine.ancestors` is a range of this.
    public var ancestors: ContiguousArray<Ancestor> = []

    /// Things passed over or cut short, in input order (at most `DumpWarning.limit` kept).
    public var warnings: [DumpWarning] = []
    /// How many warnings there were in all, including those not kept.
    public var warningCount = 0
    /// Lines that were not part of any goroutine (log output around a crash, register dumps…).
    public var skippedLines = 0
    /// Input size in bytes.
    public var byteCount = 0
    /// Input size in lines (0 for a proto profile).
    public var lineCount = 0

    /// An empty dump; the parser fills one in.
    public init() {}

    // MARK: Accessors

    /// The goroutines the dump accounts for: the number of entries for a traceback, the sum
    /// of record counts for a profile.
    public var totalGoroutines: Int64 {
        var total: Int64 = 0
        for g in goroutines { total &+= g.count }
        return total
    }

    /// The frames of a stack, innermost first.
    public func frames(of stack: StackID) -> ArraySlice<Frame> {
        let r = stacks[Int(stack.rawValue)].frames
        return frames[Int(r.lowerBound)..<Int(r.upperBound)]
    }

    /// The frames of a goroutine's stack, innermost first.
    public func frames(of goroutine: Goroutine) -> ArraySlice<Frame> { frames(of: goroutine.stack) }

    /// The state string of a goroutine, as printed.
    public func state(of goroutine: Goroutine) -> String { names[goroutine.state] }

    /// The label pairs of a set, sorted by key.
    public func labelPairs(of set: LabelSetID) -> ArraySlice<LabelPair> {
        let r = labelSets[Int(set.rawValue)]
        return labelPairs[Int(r.lowerBound)..<Int(r.upperBound)]
    }

    /// A goroutine's labels as strings, sorted by key.
    public func labels(of goroutine: Goroutine) -> [(key: String, value: String)] {
        labelPairs(of: goroutine.labelSet).map { (names[$0.key], names[$0.value]) }
    }

    /// The `created by` frame of a goroutine, if printed.
    public func creator(of goroutine: Goroutine) -> Frame? {
        goroutine.createdBy >= 0 ? creationSites[Int(goroutine.createdBy)] : nil
    }

    /// The ancestor blocks of a goroutine, nearest first.
    public func ancestors(of goroutine: Goroutine) -> ArraySlice<Ancestor> {
        ancestors[Int(goroutine.ancestors.lowerBound)..<Int(goroutine.ancestors.upperBound)]
    }

    /// The frame of a stack where the goroutine waits in code that matters: the first frame
    /// outside the standard library; failing that, the first outside runtime plumbing
    /// (see `GoFunctionName.isRuntimePlumbing`); failing that, the innermost frame.
    /// Nil for an empty stack.
    public func blockingSite(of stack: StackID) -> Frame? {
        blockingSiteIndex(of: stack).map { frames[$0] }
    }

    /// Index into `frames` of `blockingSite(of:)`.
    func blockingSiteIndex(of stack: StackID) -> Int? {
        let r = stacks[Int(stack.rawValue)].frames
        guard r.lowerBound < r.upperBound else { return nil }
        var firstNonPlumbing: Int? = nil
        for i in Int(r.lowerBound)..<Int(r.upperBound) {
            let name = GoFunctionName(names[frames[i].function])
            if !name.isStandardLibrary { return i }
            if firstNonPlumbing == nil && !name.isRuntimePlumbing { firstNonPlumbing = i }
        }
        return firstNonPlumbing ?? Int(r.lowerBound)
    }
}

/// The kind of input a `GoroutineDump` came from.
public enum DumpFormat: String, Sendable, Hashable {
    /// `runtime.Stack(buf, true)`, `goroutine?debug=2`, `goroutineleak?debug=2`, a panic or
    /// fatal-error crash dump, SIGQUIT output.
    case traceback
    /// `goroutine?debug=1` (`goroutine profile: total N` then `count @ pcs` records).
    case countProfile
    /// `goroutine?debug=0`: a gzipped profile.proto.
    case protoProfile
}

/// Something the parser passed over or could not finish, with where it happened.
public struct DumpWarning: Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable, Hashable {
        /// The input ended mid-line or mid-goroutine (a cut dump, e.g. at pprof's 64 MiB cap).
        case truncated
        /// A line that should have continued a goroutine did not; the goroutine was closed early.
        case unexpectedLine
        /// A line too long to be part of a dump was skipped.
        case lineTooLong
        /// A header or frame with an unreadable part (a bad number, unbalanced labels).
        case malformed
    }
    /// How many warnings a dump keeps; the rest are only counted.
    public static let limit = 100

    /// What went wrong.
    public var kind: Kind
    /// 1-based input line.
    public var line: Int
    /// Byte offset of that line's start.
    public var offset: Int
    /// What was passed over and why, quoting the input where it helps.
    public var message: String

    init(_ kind: Kind, line: Int, offset: Int, _ message: String) {
        self.kind = kind
        self.line = line
        self.offset = offset
        self.message = message
    }

    /// `line N: message`.
    public var description: String { "line \(line): \(message)" }
}
