import LeakscopeGoSymbols

/// The remedy for a growing allocation site, chosen by its shape: what allocated (the frames inside
/// the application frame), what the application function is called, and how big its objects are.
///
/// Go's heap profiles hide runtime frames (`runtime.mallocgc`, `runtime.mapassign`, `runtime.growslice`)
/// below the first non-runtime frame, so for Go profiles the visible allocator is a standard-library
/// frame (`bytes.growSlice`, `strings.(*Builder).grow`, `fmt.Sprintf`, `time.NewTimer`, …) or nothing;
/// runtime frames are matched too for profiles that keep them (legacy, other tools).
enum HeapHints {
    static func hint(for site: HeapSite) -> String {
        let frames = site.stack.map { frame in frame.prefix { $0 != " " } }
        let app = frames.firstIndex { ApplicationCode.isApplication(String($0)) }
        // The frames inside the application frame: what the application code called to allocate.
        let inside = app.map { Array(frames[..<$0]) } ?? frames
        func calls(_ prefixes: String...) -> Bool {
            inside.contains { frame in prefixes.contains { frame.hasPrefix($0) } }
                || site.allocator.map { a in prefixes.contains { a.hasPrefix($0) } } == true
        }
        let function = site.location.function
        let objects = site.inuseObjects.last ?? 0
        let bytesPerObject = objects > 0 ? (site.inuseBytes.last ?? 0) / objects : 0

        if calls("runtime.malg", "runtime.newproc") || function == "runtime.malg" {
            return "These are goroutine descriptors and stacks: goroutines started here never exit. "
                + "It is a goroutine leak; see the goroutine findings, give each goroutine a way out (ctx.Done(), close the channel it waits on)."
        }
        if calls("time.NewTimer", "time.After", "time.NewTicker", "time.AfterFunc", "time.newTimer") {
            return "Timers created per iteration and kept: use one time.NewTimer and Reset it (or a Ticker), Stop() timers and tickers "
                + "when done; before Go 1.23 an unstopped time.After/NewTimer is not freed until it fires."
        }
        if calls("sync.(*Pool).Get") {
            return "Objects taken from a sync.Pool are kept instead of being put back: Put them back (reset first, e.g. buf[:0]) on every "
                + "path, never keep a reference after Put, and do not use a Pool as a cache. Don't pool very large buffers."
        }
        if calls("runtime.mapassign", "runtime.makemap", "runtime.hashGrow", "internal/runtime/maps.") {
            return "A map that only grows: entries are added and never deleted. Bound it (size cap with LRU eviction), add a TTL "
                + "and sweep expired entries, or delete entries when their work is done. Deleting does not shrink a Go map: rebuild it when it empties."
        }
        if calls("bytes.growSlice", "bytes.(*Buffer).grow", "bytes.(*Buffer).Write", "strings.(*Builder).grow",
                 "strings.(*Builder).Write") {
            return "A bytes.Buffer or strings.Builder is kept alive and keeps growing: Reset() it after use, don't store the buffer (or "
                + "slices of its Bytes()) in long-lived structures, copy out only what you keep, and bound what you append."
        }
        if calls("runtime.growslice") {
            return "A slice that is appended to and never truncated (a global log, history or queue): cap it, rotate it as a ring "
                + "buffer, or drop entries once processed (and nil out dropped pointer elements so they can be freed)."
        }
        if looksLikeCache(function) {
            return "A cache or registry that only grows: give it a bound (size cap with LRU eviction) or a TTL with a sweeper, "
                + "and delete entries when their owner is done with them."
        }
        if bytesPerObject >= 256 * 1024 {
            return "Large buffers stay reachable. If you keep small sub-slices of big buffers (data[a:b]), copy them "
                + "(bytes.Clone, strings.Clone) so the big array can be freed; otherwise release references to the buffers when done."
        }
        if calls("encoding/json.", "encoding/gob.", "encoding/xml.") {
            return "Decoded values are kept: bound the structure they are stored in, or keep only the fields you need."
        }
        if calls("fmt.", "strconv.", "strings.", "runtime.concatstrings", "runtime.slicebytetostring",
                 "bytes.(*Buffer).String") {
            return "Strings built here are kept (often log lines, audit records or keys appended to a global slice or map): "
                + "bound that structure (a ring buffer of the last N entries, or ship them out), or keep small copies "
                + "(strings.Clone) instead of substrings of large strings."
        }
        return "Objects allocated here stay reachable: find the long-lived structure that holds them (a global, a map or slice "
            + "in a long-lived struct, a closure, a goroutine that never ends) and bound it or drop the references when done."
    }

    /// Whether a function name says it stores things for later (`Cache`, `Store`, `Registry`, `memo`, …).
    static func looksLikeCache(_ function: String) -> Bool {
        let lower = function.lowercased()
        return ["cache", "memo", "registry", "store", "session", "history", "index"].contains { lower.contains($0) }
    }
}
