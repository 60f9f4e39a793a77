/// Names of the runtime's GC and allocation functions, and of the library calls that make an
/// application function hot for a known reason, matched once per function of a profile.
package enum CPUCategories {
    /// GC/allocation class of a function; lower raw values win when a stack has several.
    package enum GCClass: UInt8 {
        case markWorker = 1, assist, sweep, otherGC, malloc
        case none = 255
    }

    package static func gcClass(_ name: String) -> GCClass {
        guard name.hasPrefix("runtime.") else { return .none }
        let rest = name.dropFirst("runtime.".count)
        if rest.hasPrefix("gcBgMarkWorker") { return .markWorker }
        if rest.hasPrefix("gcAssistAlloc") { return .assist }
        if rest.hasPrefix("bgsweep") || rest.hasPrefix("sweepone") || rest.hasPrefix("(*sweepLocked).sweep")
            || rest.hasPrefix("(*mheap).reclaim") || rest.hasPrefix("gcSweep") { return .sweep }
        if rest.hasPrefix("gcDrain") || rest.hasPrefix("scanobject") || rest.hasPrefix("scanObject")
            || rest.hasPrefix("scanSpan") || rest.hasPrefix("markroot") || rest.hasPrefix("gcStart")
            || rest.hasPrefix("gcMarkDone") || rest.hasPrefix("gcMarkTermination") || rest.hasPrefix("scanstack")
            || rest.hasPrefix("scanblock") || rest.hasPrefix("greyobject") || rest.hasPrefix("gcBgMarkStartWorkers") {
            return .otherGC
        }
        if rest.hasPrefix("mallocgc") { return .malloc }
        return .none
    }

    /// Whether the function scans or marks heap objects (GC mark work, whoever runs it).
    package static func isScanning(_ name: String) -> Bool {
        guard name.hasPrefix("runtime.") else { return false }
        let rest = name.dropFirst("runtime.".count)
        return rest.hasPrefix("gcDrain") || rest.hasPrefix("scanobject") || rest.hasPrefix("scanObject")
            || rest.hasPrefix("scanSpan") || rest.hasPrefix("scanblock") || rest.hasPrefix("greyobject")
            || rest.hasPrefix("markroot")
    }

    /// Why a hot function is hot, from the library code under it.
    package enum Cause: Int, CaseIterable {
        case regexpCompile, regexpMatch, json, fmt, sort, passwordHash, crypto, allocation, lockSpin,
             reflection, compression, syscalls
    }

    /// Bit set of `Cause`s a frame of this function indicates.
    package static func causes(_ name: String) -> UInt16 {
        var mask: UInt16 = 0
        func add(_ cause: Cause) { mask |= 1 << UInt16(cause.rawValue) }
        if name.hasPrefix("regexp.Compile") || name.hasPrefix("regexp.MustCompile") || name.hasPrefix("regexp.compile")
            || name.hasPrefix("regexp/syntax.") { add(.regexpCompile) }
        if name.hasPrefix("regexp.(*Regexp).") || name.hasPrefix("regexp.(*machine)") || name.hasPrefix("regexp.(*bitState)")
            || name.hasPrefix("regexp.onePass") || name.hasPrefix("regexp.(*inputs)") { add(.regexpMatch) }
        if name.hasPrefix("encoding/json.") || name.hasPrefix("encoding/xml.") || name.hasPrefix("encoding/gob.") { add(.json) }
        if name.hasPrefix("fmt.") { add(.fmt) }
        if name.hasPrefix("sort.") || name.hasPrefix("slices.Sort") || name.hasPrefix("slices.pdqsort")
            || name.hasPrefix("slices.insertionSort") || name.hasPrefix("slices.heapSort") { add(.sort) }
        if name.hasPrefix("golang.org/x/crypto/bcrypt") || name.hasPrefix("golang.org/x/crypto/scrypt")
            || name.hasPrefix("golang.org/x/crypto/argon2") || name.hasPrefix("golang.org/x/crypto/pbkdf2")
            || name.hasPrefix("crypto/pbkdf2") { add(.passwordHash) }
        if name.hasPrefix("crypto/") { add(.crypto) }
        if name.hasPrefix("runtime.mallocgc") || name.hasPrefix("runtime.gcAssistAlloc") { add(.allocation) }
        if SyncPrimitive.of(name) == .mutex && name.contains(".lockSlow") || SyncPrimitive.of(name) == .rwMutex
            || name.hasPrefix("sync.runtime_Semacquire")
            || name.hasPrefix("runtime.procyield") || name.hasPrefix("runtime.lock2") { add(.lockSpin) }
        if name.hasPrefix("reflect.") { add(.reflection) }
        if name.hasPrefix("compress/") { add(.compression) }
        if name.hasPrefix("syscall.") || name.hasPrefix("internal/poll.") || name.hasPrefix("internal/runtime/syscall.")
            || name.hasPrefix("runtime/internal/syscall.") { add(.syscalls) }
        return mask
    }

    /// The remedy for a hot function whose time goes mostly to `cause`.
    package static func hint(_ cause: Cause) -> String {
        switch cause {
        case .regexpCompile:
            "It compiles a regular expression on every call: compile it once at package level "
                + "(var re = regexp.MustCompile(`…`)) and reuse it; *regexp.Regexp is safe for concurrent use."
        case .regexpMatch:
            "Regular-expression matching dominates: use strings.HasPrefix/Contains/Cut or a hand-written check for simple "
                + "patterns, anchor the pattern, and avoid running it more than once per input."
        case .json:
            "Reflection-based encoding (encoding/json) in a hot path: decode into concrete structs once, reuse a json.Encoder/Decoder "
                + "on the stream, cache encoded results that don't change, or use a code-generated encoder."
        case .fmt:
            "fmt formatting in a hot path: use strconv.AppendInt/AppendQuote or strings.Builder into a reused buffer instead of "
                + "fmt.Sprintf, and don't format log lines that the log level drops."
        case .sort:
            "Sorting dominates: keep the data sorted as it is inserted, sort once instead of per request, or use slices.SortFunc "
                + "on a smaller key slice."
        case .passwordHash:
            "Password hashing (bcrypt/scrypt/argon2/pbkdf2) is slow by design: expected on login paths. If it runs per request, "
                + "cache the verified session instead; otherwise tune the cost factor and rate-limit callers."
        case .crypto:
            "Cryptography dominates: reuse TLS connections (HTTP keep-alive, session resumption) instead of new handshakes, "
                + "and hash or sign once per message, not per retry."
        case .allocation:
            "Allocation-heavy: reuse buffers (pass a []byte to fill, buf[:0]), preallocate slices and maps with make(…, 0, n), "
                + "avoid converting between string and []byte, and pool short-lived large objects with sync.Pool."
        case .lockSpin:
            "Spinning and parking on a contended lock: shorten the critical section, move I/O and slow work out of it, "
                + "shard the lock by key, or use sync.RWMutex / atomic values for read-mostly data."
        case .reflection:
            "Reflection in a hot path: resolve reflect.Type/field lookups once and cache them, or replace reflection with generics "
                + "or plain code."
        case .compression:
            "Compression dominates: use a faster level (gzip.BestSpeed), reuse gzip writers (Reset), or cache compressed responses."
        case .syscalls:
            "Many small system calls: buffer reads and writes (bufio.Reader/Writer), batch writes, and reuse connections."
        }
    }
}
