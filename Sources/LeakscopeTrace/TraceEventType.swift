/// One wire event type of the generational trace format, and what its encoding looks like.
///
/// The numbering and argument lists follow the Go runtime's tracer (`internal/trace/tracev2/events.go`):
/// one type byte, then LEB128 unsigned arguments. A timed event's first argument is the time since the
/// previous event of its batch. `String` events carry a length-prefixed payload after their arguments.
public struct TraceEventType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let eventBatch = TraceEventType(rawValue: 1)
    public static let stacks = TraceEventType(rawValue: 2)
    public static let stack = TraceEventType(rawValue: 3)
    public static let strings = TraceEventType(rawValue: 4)
    public static let string = TraceEventType(rawValue: 5)
    public static let cpuSamples = TraceEventType(rawValue: 6)
    public static let cpuSample = TraceEventType(rawValue: 7)
    public static let frequency = TraceEventType(rawValue: 8)
    public static let goCreate = TraceEventType(rawValue: 14)
    public static let goCreateSyscall = TraceEventType(rawValue: 15)
    public static let goStart = TraceEventType(rawValue: 16)
    public static let goDestroy = TraceEventType(rawValue: 17)
    public static let goDestroySyscall = TraceEventType(rawValue: 18)
    public static let goStop = TraceEventType(rawValue: 19)
    public static let goBlock = TraceEventType(rawValue: 20)
    public static let goUnblock = TraceEventType(rawValue: 21)
    public static let goSyscallBegin = TraceEventType(rawValue: 22)
    public static let goSyscallEnd = TraceEventType(rawValue: 23)
    public static let goSyscallEndBlocked = TraceEventType(rawValue: 24)
    public static let goStatus = TraceEventType(rawValue: 25)
    public static let goLabel = TraceEventType(rawValue: 39)
    public static let goSwitch = TraceEventType(rawValue: 45)
    public static let goSwitchDestroy = TraceEventType(rawValue: 46)
    public static let goCreateBlocked = TraceEventType(rawValue: 47)
    public static let goStatusStack = TraceEventType(rawValue: 48)
    public static let experimentalBatch = TraceEventType(rawValue: 49)
    public static let sync = TraceEventType(rawValue: 50)
    public static let clockSnapshot = TraceEventType(rawValue: 51)
    public static let endOfGeneration = TraceEventType(rawValue: 52)

    /// The name Go's tools print (`go tool trace -d=wire`), or `Invalid(N)`.
    public var description: String {
        Int(rawValue) < Self.specs.count && !Self.specs[Int(rawValue)].name.isEmpty
            ? Self.specs[Int(rawValue)].name : "Invalid(\(rawValue))"
    }

    /// How an event type is encoded.
    public struct Spec: Sendable {
        /// The Go name, as `go tool trace -d=wire` prints it.
        public let name: String
        /// Number of LEB128 arguments, the time delta included for timed events.
        public let arguments: Int
        /// Whether the first argument is a time delta.
        public let timed: Bool
        /// The first format version that has this event.
        public let since: Int
    }

    /// Indexed by raw value; unused numbers have an empty name.
    public static let specs: [Spec] = {
        var table = [Spec](repeating: Spec(name: "", arguments: 0, timed: false, since: 99), count: 53)
        func add(_ id: Int, _ name: String, _ arguments: Int, timed: Bool = true, since: Int = 22) {
            table[id] = Spec(name: name, arguments: arguments, timed: timed, since: since)
        }
        add(1, "EventBatch", 4, timed: false)
        add(2, "Stacks", 0, timed: false)
        add(3, "Stack", 2, timed: false)
        add(4, "Strings", 0, timed: false)
        add(5, "String", 1, timed: false)
        add(6, "CPUSamples", 0, timed: false)
        add(7, "CPUSample", 5, timed: false)
        add(8, "Frequency", 1, timed: false)
        add(9, "ProcsChange", 3)
        add(10, "ProcStart", 3)
        add(11, "ProcStop", 1)
        add(12, "ProcSteal", 4)
        add(13, "ProcStatus", 3)
        add(14, "GoCreate", 4)
        add(15, "GoCreateSyscall", 2)
        add(16, "GoStart", 3)
        add(17, "GoDestroy", 1)
        add(18, "GoDestroySyscall", 1)
        add(19, "GoStop", 3)
        add(20, "GoBlock", 3)
        add(21, "GoUnblock", 4)
        add(22, "GoSyscallBegin", 3)
        add(23, "GoSyscallEnd", 1)
        add(24, "GoSyscallEndBlocked", 1)
        add(25, "GoStatus", 4)
        add(26, "STWBegin", 3)
        add(27, "STWEnd", 1)
        add(28, "GCActive", 2)
        add(29, "GCBegin", 3)
        add(30, "GCEnd", 2)
        add(31, "GCSweepActive", 2)
        add(32, "GCSweepBegin", 2)
        add(33, "GCSweepEnd", 3)
        add(34, "GCMarkAssistActive", 2)
        add(35, "GCMarkAssistBegin", 2)
        add(36, "GCMarkAssistEnd", 1)
        add(37, "HeapAlloc", 2)
        add(38, "HeapGoal", 2)
        add(39, "GoLabel", 2)
        add(40, "UserTaskBegin", 5)
        add(41, "UserTaskEnd", 3)
        add(42, "UserRegionBegin", 4)
        add(43, "UserRegionEnd", 4)
        add(44, "UserLog", 5)
        add(45, "GoSwitch", 3, since: 23)
        add(46, "GoSwitchDestroy", 3, since: 23)
        add(47, "GoCreateBlocked", 4, since: 23)
        add(48, "GoStatusStack", 5, since: 23)
        add(49, "ExperimentalBatch", 4, timed: false, since: 23)
        add(50, "Sync", 0, timed: false, since: 25)
        add(51, "ClockSnapshot", 4, since: 25)
        add(52, "EndOfGeneration", 0, timed: false, since: 26)
        return table
    }()

    /// Argument counts of the events that may appear inside an event batch for `version`, indexed by
    /// type byte; -1 marks a type that is invalid there.
    static func batchArgumentCounts(for version: TraceVersion) -> [Int8] {
        var counts = [Int8](repeating: -1, count: 256)
        for (id, spec) in specs.enumerated() where spec.timed && spec.since <= version.minor {
            counts[id] = Int8(spec.arguments)
        }
        return counts
    }
}
