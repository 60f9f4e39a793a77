import LeakscopeGoSymbols

/// A long-lived goroutine shape that healthy services have by design: waiting there is not a leak.
public struct HealthyShape: Sendable, Hashable {
    /// Short name, e.g. "HTTP server accept loop".
    public var name: String
    /// Why waiting there is normal, in words.
    public var reason: String
    /// A frame function that identifies the shape: an exact name, or a prefix ending in `.` or `(`.
    var functions: [String]
    /// The kinds the shape waits in; empty means any.
    var kinds: Set<BlockingKind>
    /// What it means when this shape keeps growing anyway, and what to do; nil if growth is normal.
    public var remedyWhenGrowing: String?

    /// Whether a stack (function names, innermost first) in this kind has this shape.
    func matches<Functions: Sequence>(kind: BlockingKind, functions stack: Functions) -> Bool
    where Functions.Element == String {
        guard kinds.isEmpty || kinds.contains(kind) else { return false }
        for function in stack {
            for pattern in functions {
                if pattern.hasSuffix(".") || pattern.hasSuffix("(") {
                    if function.hasPrefix(pattern) { return true }
                } else if function == pattern {
                    return true
                }
            }
        }
        return false
    }
}

/// The healthy shapes leakscope knows. Order matters: the first match names the shape.
public enum HealthyShapes {
    /// `.unknown` is there because count and proto profiles print no wait reason.
    static let parked: Set<BlockingKind> = [.chanSend, .chanReceive, .select, .ioWait, .sleep, .cond, .semaphore, .unknown]

    /// The name of the shape of `net/http` client connections (a reader and a writer goroutine each).
    public static let httpClientConnection = "HTTP client keep-alive connection"

    public static let all: [HealthyShape] = [
        HealthyShape(
            name: "runtime goroutine", reason: "the Go runtime's own background goroutine",
            functions: ["runtime.forcegchelper", "runtime.bgsweep", "runtime.bgscavenge", "runtime.runfinq",
                        "runtime.gcBgMarkWorker", "runtime.runCleanups", "runtime.(*cleanupQueue).",
                        "runtime.unique_runtime_registerUniqueMapCleanup.", "runtime.ensureSigM",
                        "runtime.timerproc", "runtime.updateMaxProcsGoroutine", "runtime.ReadTrace",
                        "runtime/trace.Start.", "runtime.traceStartReadCPU.", "runtime.gcenable."],
            kinds: [], remedyWhenGrowing: nil),
        HealthyShape(
            name: "signal watcher", reason: "os/signal's loop waits for the next signal for the program's lifetime",
            functions: ["os/signal.signal_recv", "os/signal.loop", "os/signal.Notify."],
            kinds: [], remedyWhenGrowing: nil),
        HealthyShape(
            name: "HTTP server accept loop", reason: "an HTTP server waits for new connections for its lifetime",
            functions: ["net/http.(*Server).Serve", "net/http.(*Server).ListenAndServe", "net/http.ListenAndServe",
                        "net/http.Serve", "net/http.(*onceCloseListener).Accept"],
            kinds: [.ioWait, .select, .chanReceive, .unknown], remedyWhenGrowing: nil),
        HealthyShape(
            name: "HTTP server connection", reason:
                "a server connection waits for the client's next request (keep-alive) or reads the request body",
            functions: ["net/http.(*conn).serve", "net/http.(*connReader).backgroundRead",
                        "net/http.(*http2serverConn).serve", "net/http.(*http2serverConn).readFrames",
                        "golang.org/x/net/http2.(*serverConn).", "net/http.(*http2serverConn)."],
            kinds: parked,
            remedyWhenGrowing: "server connections pile up: set Server.ReadTimeout/ReadHeaderTimeout and IdleTimeout so idle and slow clients are dropped"),
        HealthyShape(
            name: httpClientConnection, reason:
                "an idle client connection kept for reuse by http.Transport (readLoop/writeLoop)",
            functions: ["net/http.(*persistConn).readLoop", "net/http.(*persistConn).writeLoop",
                        "net/http.(*http2ClientConn).readLoop", "net/http.(*http2clientConnReadLoop).run",
                        "golang.org/x/net/http2.(*ClientConn).readLoop", "golang.org/x/net/http2.(*clientConnReadLoop).run"],
            kinds: parked,
            remedyWhenGrowing: "client connections pile up: close (and drain) every resp.Body, reuse one http.Client/Transport instead of one per request, and set Transport.IdleConnTimeout and Client.Timeout"),
        HealthyShape(
            name: "gRPC transport", reason: "gRPC keeps per-connection reader, writer and keepalive goroutines",
            functions: ["google.golang.org/grpc.(*Server).Serve", "google.golang.org/grpc.(*Server).serveStreams",
                        "google.golang.org/grpc/internal/transport.(*http2Client).reader",
                        "google.golang.org/grpc/internal/transport.(*http2Client).keepalive",
                        "google.golang.org/grpc/internal/transport.(*http2Server).keepalive",
                        "google.golang.org/grpc/internal/transport.(*controlBuffer).get",
                        "google.golang.org/grpc/internal/transport.(*loopyWriter).run",
                        "google.golang.org/grpc/internal/transport.newHTTP2Client.",
                        "google.golang.org/grpc/internal/transport.NewServerTransport.",
                        "google.golang.org/grpc/internal/grpcsync.(*CallbackSerializer).run",
                        "google.golang.org/grpc.(*addrConn).resetTransport",
                        "google.golang.org/grpc.(*ccBalancerWrapper).watcher"],
            kinds: parked,
            remedyWhenGrowing: "gRPC connections pile up: reuse one grpc.ClientConn per target and Close() the ones you dial"),
        HealthyShape(
            name: "accept loop", reason: "a listener waits for new connections",
            functions: ["net.(*TCPListener).Accept", "net.(*UnixListener).Accept", "net.(*netFD).accept"],
            kinds: [.ioWait, .unknown], remedyWhenGrowing: nil),
        HealthyShape(
            name: "database/sql pool", reason: "database/sql keeps connection opener and cleaner goroutines per DB",
            functions: ["database/sql.(*DB).connectionOpener", "database/sql.(*DB).connectionCleaner",
                        "database/sql.(*DB).connectionResetter"],
            kinds: parked,
            remedyWhenGrowing: "one sql.DB per request: open the DB once and share it, and Close() DBs you open"),
        HealthyShape(
            name: "logging or metrics daemon", reason: "a library flushes or exports periodically for the program's lifetime",
            functions: ["k8s.io/klog/v2.(*flushDaemon).run.", "k8s.io/klog.(*loggingT).flushDaemon",
                        "github.com/golang/glog.(*loggingT).flushDaemon", "go.opencensus.io/stats/view.(*worker).start",
                        "go.opentelemetry.io/otel/sdk/trace.(*batchSpanProcessor).processQueue",
                        "go.opentelemetry.io/otel/sdk/metric.(*PeriodicReader).run"],
            kinds: parked, remedyWhenGrowing: nil),
        HealthyShape(
            name: "test runner", reason: "the testing package waits for tests and subtests",
            functions: ["testing.(*T).Run", "testing.tRunner", "testing.runTests", "testing.(*M).Run",
                        "testing.(*T).Parallel", "testing.runFuzzing", "testing.runFuzzTests", "testing.(*M).startAlarm."],
            kinds: [], remedyWhenGrowing: nil),
    ]

    /// The main goroutine waiting (in `select {}`, on a signal channel, a WaitGroup or a server)
    /// keeps the program alive: that is its job.
    public static let mainGoroutine = HealthyShape(
        name: "main goroutine", reason: "main waits for the program to end", functions: ["main.main"], kinds: [],
        remedyWhenGrowing: nil)

    /// The healthy shape of a stack, if any. `isMain` says the group is goroutine 1 alone.
    public static func shape<Functions: Sequence>(kind: BlockingKind, functions: Functions, isMain: Bool,
                                                  isSystem: Bool) -> HealthyShape?
    where Functions.Element == String {
        if isSystem || kind == .runtime { return all[0] }
        if isMain { return mainGoroutine }
        return all.first { $0.matches(kind: kind, functions: functions) }
    }
}
