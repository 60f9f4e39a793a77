import LeakscopeGoSymbols

/// What a leak of each blocking kind usually is, and the fix for that shape.
///
/// The patterns are the ones the Go leak studies name (early return, timeout, double send,
/// n-cast, channel range, method-contract violation, looping timer; GoBench's resource and
/// communication deadlocks) and the service checklist of the brief (close channels or bound them
/// with a context, set HTTP timeouts, close response bodies).
public struct Remedy: Sendable, Hashable {
    /// The leak shape in words, e.g. "send on unbuffered channel after the receiver returned".
    public var shape: String
    /// The concrete fix.
    public var fix: String

    /// `shape: fix`, as reports print it.
    public var text: String { "\(shape): \(fix)" }

    /// The remedy for a leak of this kind; nil for kinds that are not leaks by themselves.
    public static func forKind(_ kind: BlockingKind) -> Remedy? {
        switch kind {
        case .chanSend:
            Remedy(shape: "send on unbuffered channel after the receiver returned (early return or timeout)",
                   fix: "buffer it (capacity 1 per result) or select on ctx.Done() around the send")
        case .chanReceive:
            Remedy(shape: "receive on a channel nobody sends on or closes (a range loop ends only on close)",
                   fix: "have the producer close() it when done, or select on ctx.Done() / a stop channel")
        case .select:
            Remedy(shape: "select whose cases never become ready",
                   fix: "add a ctx.Done() case and cancel the context (context.WithTimeout/WithCancel with defer cancel())")
        case .nilChannel:
            Remedy(shape: "operation on a nil channel, which blocks forever",
                   fix: "make() the channel before use; set a select case to nil only while another case can still fire")
        case .emptySelect:
            Remedy(shape: "select {} outside main blocks forever",
                   fix: "wait on ctx.Done() or a stop channel so the goroutine can end")
        case .mutex:
            Remedy(shape: "waiting for a sync.Mutex that is never unlocked (a missed Unlock, double locking or AB-BA order)",
                   fix: "defer mu.Unlock() right after Lock, never call back into code that takes the same lock, take locks in one order")
        case .rwMutex:
            Remedy(shape: "waiting for a sync.RWMutex that is never released (a missed Unlock/RUnlock or a recursive RLock behind a writer)",
                   fix: "defer the unlock right after locking and never RLock again while holding the read lock")
        case .waitGroup:
            Remedy(shape: "WaitGroup.Wait whose counter never reaches zero",
                   fix: "pair every Add with a deferred Done, call Add before the go statement, and make workers return on ctx.Done()")
        case .cond:
            Remedy(shape: "sync.Cond.Wait that is never signalled",
                   fix: "Broadcast on every state change and on shutdown, and re-check the condition in a loop; or use a channel")
        case .semaphore:
            Remedy(shape: "waiting on a semaphore that is never released",
                   fix: "release in a defer and acquire with a context deadline")
        case .ioWait:
            Remedy(shape: "network read or write with no deadline",
                   fix: "set conn.SetDeadline / http.Client.Timeout and Transport.IdleConnTimeout, and close connections and resp.Body")
        case .sleep:
            Remedy(shape: "goroutine sleeping in a loop with no way out (looping timer)",
                   fix: "use a time.Ticker with a select on ctx.Done() or a stop channel, and Stop() the ticker")
        case .syscall:
            Remedy(shape: "blocked in a system call",
                   fix: "use os/net files with deadlines instead of raw syscalls, or close the descriptor to unblock it")
        case .unknown:
            Remedy(shape: "goroutines that never finish pile up here (the profile does not say on what they wait; a debug=2 dump does)",
                   fix: "give them a way out: select on ctx.Done() or a stop channel, close the channels they range over, set deadlines")
        case .running, .runtime, .synctest, .other:
            nil
        }
    }
}
