/// A goroutine's scheduling state, as the trace reconstructs it.
public enum GoroutineState: UInt8, Sendable, Hashable, CustomStringConvertible {
    /// First seen through a status event: what it did before the trace (or generation) is unknown.
    case undetermined
    case notExist
    case runnable
    case running
    case syscall
    case waiting

    /// Go's spelling (`go tool trace -d=parsed`): `Undetermined`, `NotExist`, `Runnable`, …
    public var description: String {
        switch self {
        case .undetermined: return "Undetermined"
        case .notExist: return "NotExist"
        case .runnable: return "Runnable"
        case .running: return "Running"
        case .syscall: return "Syscall"
        case .waiting: return "Waiting"
        }
    }

    /// The state a wire `gstatus` value names; nil for an invalid value.
    init?(wire: UInt64) {
        switch wire {
        case 1: self = .runnable
        case 2: self = .running
        case 3: self = .syscall
        case 4: self = .waiting
        default: return nil
        }
    }
}

/// One event, in the order the reader reconstructed, with its goroutine state change resolved.
///
/// `arguments` are the wire arguments after the time delta (`GoCreate`: new goroutine, new stack, stack).
/// String and stack arguments are the generation's wire IDs; `reason`, `stack` and `newStack` are the
/// interned IDs (`TraceNames`) of the ones goroutine analyses need.
public struct TraceEvent: Sendable {
    /// The wire type.
    public var type: TraceEventType
    /// Nanoseconds on the trace's clock (Go's `trace.Time`).
    public var time: Int64
    /// The thread (M) whose batch held the event.
    public var thread: UInt64
    /// The goroutine running on that thread when the event happened; 0 for none.
    public var goroutine: UInt64
    /// Wire arguments after the time delta; unused slots are 0.
    public var arguments: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// The goroutine whose state changed; 0 when the event changes no goroutine's state.
    public var subject: UInt64 = 0
    /// The subject's state before the event.
    public var from: GoroutineState = .undetermined
    /// The subject's state after the event.
    public var to: GoroutineState = .undetermined
    /// Interned reason string of a block or stop; 0 for none.
    public var reason: Int32 = 0
    /// Interned stack of the event (the creator's stack for `GoCreate`); 0 for none.
    public var stack: Int32 = 0
    /// For `GoCreate`/`GoCreateBlocked`: the new goroutine's interned entry stack.
    public var newStack: Int32 = 0

    /// Whether the event changes a goroutine's state.
    public var isTransition: Bool { subject != 0 }
}

/// What a reader saw, counted while reading.
public struct TraceStatistics: Sendable {
    /// Events per wire type (indexed by raw value), batch headers, table entries and markers included,
    /// as `go tool trace -d=wire` lists them.
    public var eventCounts = [Int](repeating: 0, count: 256)
    /// Generations read.
    public var generations = 0
    /// Batches read.
    public var batches = 0
    /// Bytes read, header included.
    public var bytes = 0
    /// Largest generation, in bytes of batch data.
    public var largestGeneration = 0

    /// Total of `eventCounts`.
    public var events: Int { eventCounts.reduce(0, +) }
}
