import LeakscopeFindings

/// One lint check: a stable ID, what it looks for, why it matters, how to fix it.
public struct Check: Sendable, Hashable {
    /// `LS001`…; never reused or renamed.
    public var id: String
    /// A short kebab-case name (`abandoned-send`).
    public var name: String
    /// One line: what the check reports.
    public var summary: String
    /// Why the pattern leaks.
    public var rationale: String
    /// The fix, one sentence (also each finding's hint).
    public var fix: String
    /// A leaking example and its fixed version (Go).
    public var bad: String
    public var good: String
    /// The finding kind its findings carry.
    public var kind: Finding.Kind
    /// Default severity and score.
    public var severity: Finding.Severity
    public var score: Int
    /// SARIF precision: `very-high`, `high`, `medium`, `low`, from the check's first-pass record on
    /// unseen code (`MeasuredPrecision`, docs/LINT.md).
    public var precision: String
}

/// Every check, in ID order.
public enum Checks {
    public static let abandonedSend = Check(
        id: "LS001", name: "abandoned-send",
        summary: "a goroutine sends on an unbuffered channel whose receiver may have stopped waiting",
        rationale: "The receiver gives up on a select timeout, ctx.Done() or an early return; the sender then blocks on `ch <- v` forever and its goroutine, stack and everything it references leak. A channel handed to the call in a `range` header has that callee as its receiver: when the loop can stop early, the callee stops taking input at its next result send, and the sender blocks the same way. The sender may be a declared function of the package started with `go f(ch)`, or a method started with `go x.m(ch)` on a value of one of the package's types, and a channel made unbuffered on some path (`ch = make(chan T)` under a condition) is not taken as buffered. A goroutine blocked when the process exits holds nothing: main.main and a function main calls as its last act are not checked, and in a command's handler (cobra, urfave/cli, go-flags), or in a function every caller of which runs once per process (main, an init, a handler) and calls it outside loops, the finding is low-confidence.",
        fix: "make the channel buffered (make(chan T, 1)) so the one send never blocks, or select on ctx.Done() in the sender too",
        bad: "ch := make(chan int)\ngo func() { ch <- work() }()\nselect {\ncase v := <-ch:\n\treturn v\ncase <-time.After(time.Second):\n\treturn 0 // the sender blocks forever\n}",
        good: "ch := make(chan int, 1)\ngo func() { ch <- work() }()\nselect {\ncase v := <-ch:\n\treturn v\ncase <-time.After(time.Second):\n\treturn 0\n}",
        kind: .goroutineLeak, severity: .critical, score: 85, precision: MeasuredPrecision.label("LS001"))

    public static let tickerNotStopped = Check(
        id: "LS002", name: "ticker-not-stopped",
        summary: "time.NewTicker whose Stop is never called",
        rationale: "An unstopped ticker keeps firing; before Go 1.23 it is never garbage-collected, and a goroutine selecting on its channel keeps running.",
        fix: "defer t.Stop() right after time.NewTicker",
        bad: "t := time.NewTicker(time.Second)\nfor range t.C {\n\tif done() {\n\t\treturn\n\t}\n}",
        good: "t := time.NewTicker(time.Second)\ndefer t.Stop()\nfor range t.C {\n\tif done() {\n\t\treturn\n\t}\n}",
        kind: .resourceLeak, severity: .warning, score: 55, precision: MeasuredPrecision.label("LS002"))

    public static let lostCancel = Check(
        id: "LS003", name: "lost-cancel",
        summary: "the cancel function of context.WithCancel/WithTimeout/WithDeadline is not called on every path",
        rationale: "Until cancel runs, the context's timer and its link to the parent context stay alive, and goroutines waiting on ctx.Done() never wake.",
        fix: "defer cancel() right after the context is created",
        bad: "ctx, cancel := context.WithTimeout(parent, time.Second)\nif err := check(); err != nil {\n\treturn err // cancel not called\n}\ndefer cancel()",
        good: "ctx, cancel := context.WithTimeout(parent, time.Second)\ndefer cancel()\nif err := check(); err != nil {\n\treturn err\n}",
        kind: .resourceLeak, severity: .warning, score: 60, precision: MeasuredPrecision.label("LS003"))

    public static let bodyNotClosed = Check(
        id: "LS004", name: "body-not-closed",
        summary: "an http.Response body is never closed",
        rationale: "An unclosed body keeps its connection out of the pool: the transport's read and write goroutines and the socket leak. A response with no body holds nothing (Content-Length 0, 204/304: the transport hands back http.NoBody and reuses the connection at once), so a request to a test server of the package whose handler only sets headers and a status is not reported (the handler may be a value of a package type whose ServeHTTP writes only a field the literal leaves empty and nothing sets), nor a HEAD request. Nor a request whose context the function cancels on return: the transport then closes the connection instead of waiting for the body. A body read to EOF (io.ReadAll, io.Copy) gives the connection back; a decoded one may not (json.Decoder stops at the value's end, short of EOF: measured with a 513-byte answer), so decoding without Close stays reported.",
        fix: "defer resp.Body.Close() after checking the error",
        bad: "resp, err := http.Get(url)\nif err != nil {\n\treturn err\n}\nreturn json.NewDecoder(resp.Body).Decode(&v)",
        good: "resp, err := http.Get(url)\nif err != nil {\n\treturn err\n}\ndefer resp.Body.Close()\nreturn json.NewDecoder(resp.Body).Decode(&v)",
        kind: .resourceLeak, severity: .warning, score: 65, precision: MeasuredPrecision.label("LS004"))

    public static let endlessGoroutineInLoop = Check(
        id: "LS005", name: "endless-goroutine-in-loop",
        summary: "a loop starts goroutines that run an endless loop with no way out",
        rationale: "Every iteration adds a goroutine that can never return (no return, break, ctx.Done() or stop channel), so their number grows for the life of the process.",
        fix: "give the goroutine a way out (select on ctx.Done() or a stop channel and return), or start it once outside the loop",
        bad: "for _, c := range conns {\n\tgo func() {\n\t\tfor {\n\t\t\tc.ping()\n\t\t\ttime.Sleep(time.Second)\n\t\t}\n\t}()\n}",
        good: "for _, c := range conns {\n\tgo func() {\n\t\tfor {\n\t\t\tselect {\n\t\t\tcase <-ctx.Done():\n\t\t\t\treturn\n\t\t\tcase <-time.After(time.Second):\n\t\t\t\tc.ping()\n\t\t\t}\n\t\t}\n\t}()\n}",
        kind: .goroutineLeak, severity: .critical, score: 80, precision: MeasuredPrecision.label("LS005"))

    public static let lockNotReleased = Check(
        id: "LS006", name: "lock-not-released",
        summary: "a mutex locked here is still held on a return path",
        rationale: "The function returns (typically on an error path) without Unlock; the next Lock blocks forever and every goroutine that needs the mutex piles up behind it.",
        fix: "defer mu.Unlock() right after mu.Lock(), or unlock before every return",
        bad: "mu.Lock()\nif err != nil {\n\treturn err // still locked\n}\nmu.Unlock()",
        good: "mu.Lock()\ndefer mu.Unlock()\nif err != nil {\n\treturn err\n}",
        kind: .lockLeak, severity: .critical, score: 80, precision: MeasuredPrecision.label("LS006"))

    public static let addInGoroutine = Check(
        id: "LS007", name: "waitgroup-add-in-goroutine",
        summary: "sync.WaitGroup.Add is called inside the goroutine it counts",
        rationale: "Wait can run before the goroutine reaches Add and return early; the work it should have waited for outlives the caller (and go vet's waitgroup check agrees).",
        fix: "call wg.Add(1) before the go statement",
        bad: "go func() {\n\twg.Add(1)\n\tdefer wg.Done()\n\twork()\n}()\nwg.Wait()",
        good: "wg.Add(1)\ngo func() {\n\tdefer wg.Done()\n\twork()\n}()\nwg.Wait()",
        kind: .blockingWait, severity: .warning, score: 60, precision: MeasuredPrecision.label("LS007"))

    public static let rangeNeverClosed = Check(
        id: "LS008", name: "range-never-closed",
        summary: "range over a channel that nothing in the package closes",
        rationale: "A for-range over a channel ends only when the channel is closed; with no close anywhere, the ranging goroutine blocks in chan receive forever once the senders stop.",
        fix: "close the channel when the last sender is done (defer close(ch) in the producer, or after wg.Wait())",
        bad: "ch := make(chan int)\ngo func() {\n\tfor _, v := range items {\n\t\tch <- v\n\t}\n}()\nfor v := range ch {\n\tuse(v)\n}",
        good: "ch := make(chan int)\ngo func() {\n\tdefer close(ch)\n\tfor _, v := range items {\n\t\tch <- v\n\t}\n}()\nfor v := range ch {\n\tuse(v)\n}",
        kind: .goroutineLeak, severity: .critical, score: 75, precision: MeasuredPrecision.label("LS008"))

    public static let timerInLoop = Check(
        id: "LS009", name: "timer-in-loop",
        summary: "time.After or time.Tick called on every iteration of a loop",
        rationale: "Each iteration allocates a new timer (time.Tick: a ticker that is never stopped); before Go 1.23 each one stays in memory until it fires, so a busy loop piles up timers.",
        fix: "create one time.NewTimer (or time.NewTicker) before the loop, Reset it each iteration and Stop it when done",
        bad: "for {\n\tselect {\n\tcase m := <-msgs:\n\t\thandle(m)\n\tcase <-time.After(time.Minute):\n\t\treturn\n\t}\n}",
        good: "idle := time.NewTimer(time.Minute)\ndefer idle.Stop()\nfor {\n\tselect {\n\tcase m := <-msgs:\n\t\thandle(m)\n\t\tidle.Reset(time.Minute)\n\tcase <-idle.C:\n\t\treturn\n\t}\n}",
        kind: .resourceLeak, severity: .info, score: 35, precision: MeasuredPrecision.label("LS009"))

    /// All checks, by ID.
    public static let all: [Check] = [
        abandonedSend, tickerNotStopped, lostCancel, bodyNotClosed, endlessGoroutineInLoop, lockNotReleased,
        addInGoroutine, rangeNeverClosed, timerInLoop,
    ]

    /// The check with this ID or name.
    public static func named(_ key: String) -> Check? {
        all.first { $0.id.caseInsensitiveEquals(key) || $0.name == key }
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool { lowercased() == other.lowercased() }
}
