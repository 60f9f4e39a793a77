/// The states a goroutine header can print, as of Go 1.27 (`runtime/runtime2.go`).
///
/// A waiting goroutine shows its wait reason; otherwise the runtime prints the plain status.
/// Parsing never depends on these lists (any bracketed text is kept as printed); they exist so
/// analysis can tell known states from new ones.
public enum WaitState {
    /// All non-empty `waitReasonStrings` of Go 1.27, in the runtime's order.
    public static let waitReasons: [String] = [
        "GC assist marking", "IO wait", "chan receive (nil chan)", "chan send (nil chan)", "dumping heap",
        "garbage collection", "garbage collection scan", "panicwait", "select", "select (no cases)",
        "GC assist wait", "GC sweep wait", "GC scavenge wait", "chan receive", "chan send", "finalizer wait",
        "force gc (idle)", "GOMAXPROCS updater (idle)", "semacquire", "sleep", "sync.Cond.Wait",
        "sync.Mutex.Lock", "sync.RWMutex.RLock", "sync.RWMutex.Lock", "sync.WaitGroup.Wait",
        "trace reader (blocked)", "wait for GC cycle", "GC worker (idle)", "GC worker (active)", "preempted",
        "debug call", "GC mark termination", "stopping the world", "flushing proc caches",
        "trace goroutine status", "trace proc status", "page trace flush", "coroutine",
        "GC weak to strong wait", "synctest.Run", "synctest.Wait", "chan receive (durable)",
        "chan send (durable)", "select (durable)", "sync.WaitGroup.Wait (durable)", "cleanup wait",
    ]

    /// `gStatusStrings`: what the header shows when there is no wait reason.
    public static let statuses: [String] = [
        "idle", "runnable", "running", "syscall", "waiting", "dead", "copystack", "leaked", "preempted",
        "waiting for cgo callback",
    ]

    /// Whether `state` is a wait reason or status some Go release prints.
    public static func isKnown(_ state: String) -> Bool {
        waitReasons.contains(state) || statuses.contains(state) || olderReasons.contains(state)
    }

    /// Reasons printed by Go 1.17–1.26 that 1.27 renamed or dropped.
    public static let olderReasons: [String] = ["GC sweep wait", "trace reader (blocked)", "sync.Mutex.Lock"]
}
