/// What a goroutine is blocked on, read from its wait reason and, where the reason is
/// ambiguous (`semacquire` before Go 1.20, `sync.Mutex.Lock` inside `RWMutex.Lock`), its frames.
public enum BlockingKind: String, Sendable, Hashable, Codable, CaseIterable {
    case chanSend, chanReceive, select
    /// A send or receive on a nil channel: blocked forever by definition.
    case nilChannel
    /// `select {}`: blocked forever by definition.
    case emptySelect
    case mutex, rwMutex, waitGroup, cond
    /// A runtime semaphore that is none of the sync types above.
    case semaphore
    case ioWait, sleep, syscall
    /// Running, runnable or preempted: not blocked at all.
    case running
    /// Garbage collector, finalizer, scavenger and other runtime-internal waits.
    case runtime
    /// Blocked inside a `testing/synctest` bubble.
    case synctest
    /// A state this table does not know (a newer runtime, or `waiting`).
    case other
    /// No state in the input (debug=1 and proto profiles) and no frame that tells.
    case unknown

    /// A short phrase for reports: "chan send", "mutex", "IO wait".
    public var phrase: String {
        switch self {
        case .chanSend: "chan send"
        case .chanReceive: "chan receive"
        case .select: "select"
        case .nilChannel: "nil channel"
        case .emptySelect: "empty select"
        case .mutex: "mutex"
        case .rwMutex: "rwmutex"
        case .waitGroup: "waitgroup"
        case .cond: "cond"
        case .semaphore: "semaphore"
        case .ioWait: "IO wait"
        case .sleep: "sleep"
        case .syscall: "syscall"
        case .running: "running"
        case .runtime: "runtime"
        case .synctest: "synctest"
        case .other: "other"
        case .unknown: "unknown"
        }
    }

    /// Never ends, whatever other goroutines do.
    public var isStuckByDefinition: Bool { self == .nilChannel || self == .emptySelect }

    /// Waiting for a lock-like primitive, where minutes of waiting are unusual in a healthy program.
    public var isLockWait: Bool {
        switch self {
        case .mutex, .rwMutex, .waitGroup, .cond, .semaphore: true
        default: false
        }
    }

    /// Classifies a goroutine state (as printed, without `(leaked)`), using the function names
    /// of its stack, innermost first, where the state alone does not say.
    public static func classify<Functions: Sequence>(state: String, functions: Functions) -> BlockingKind
    where Functions.Element == String {
        var reason = Substring(state)
        for suffix in [" (leaked)", " (durable)", " (scan)"] where reason.hasSuffix(suffix) {
            reason = reason.dropLast(suffix.count)
        }
        switch reason {
        case "": return kindFromFrames(functions)
        case "chan send": return .chanSend
        case "chan receive": return .chanReceive
        case "select": return .select
        case "chan send (nil chan)", "chan receive (nil chan)": return .nilChannel
        case "select (no cases)": return .emptySelect
        case "sync.RWMutex.RLock", "sync.RWMutex.Lock": return .rwMutex
        case "sync.WaitGroup.Wait": return .waitGroup
        case "sync.Cond.Wait": return .cond
        case "sync.Mutex.Lock", "semacquire": return syncKind(functions: functions)
        case "IO wait": return .ioWait
        case "sleep": return .sleep
        case "syscall", "waiting for cgo callback": return .syscall
        case "running", "runnable", "preempted", "copystack": return .running
        case "synctest.Run", "synctest.Wait": return .synctest
        default:
            return runtimeReasons.contains(String(reason)) ? .runtime : .other
        }
    }

    /// `semacquire` (Go ≤1.19 for all of sync) and `sync.Mutex.Lock` (also the writer side of an
    /// RWMutex) are told apart by the sync frame the goroutine sits under.
    static func syncKind<Functions: Sequence>(functions: Functions) -> BlockingKind where Functions.Element == String {
        switch SyncPrimitive.waitedOn(functions) {
        case .mutex: .mutex
        case .rwMutex: .rwMutex
        case .waitGroup: .waitGroup
        case .cond: .cond
        case nil: .semaphore
        }
    }

    /// Count and proto profiles carry no wait reason, and list only frames above the runtime's
    /// parking code; the library frame a goroutine waits under still tells some kinds.
    static func kindFromFrames<Functions: Sequence>(_ functions: Functions) -> BlockingKind
    where Functions.Element == String {
        for function in functions {
            switch function {
            case "internal/poll.runtime_pollWait": return .ioWait
            case "time.Sleep": return .sleep
            case "syscall.Syscall", "syscall.Syscall6", "syscall.RawSyscall", "syscall.RawSyscall6", "syscall.syscall",
                 "internal/runtime/syscall.Syscall6", "os/signal.signal_recv":
                return .syscall
            default: break
            }
            if function.hasPrefix("sync.") || function.hasPrefix("internal/sync.") {
                let kind = syncKind(functions: functions)
                return kind == .semaphore ? .unknown : kind
            }
            // Runtime and internal plumbing say nothing; the first other frame ends the search.
            if function.hasPrefix("runtime.") || function.hasPrefix("internal/") { continue }
            return .unknown
        }
        return .unknown
    }

    /// Wait reasons of runtime-internal goroutines and runtime machinery.
    static let runtimeReasons: Set<String> = [
        "GC assist marking", "dumping heap", "garbage collection", "garbage collection scan", "panicwait",
        "GC assist wait", "GC sweep wait", "GC scavenge wait", "finalizer wait", "force gc (idle)",
        "GOMAXPROCS updater (idle)", "trace reader (blocked)", "wait for GC cycle", "GC worker (idle)",
        "GC worker (active)", "debug call", "GC mark termination", "stopping the world", "flushing proc caches",
        "trace goroutine status", "trace proc status", "page trace flush", "coroutine", "GC weak to strong wait",
        "cleanup wait", "timer goroutine (idle)", "sweep wait", "idle", "dead",
    ]
}
