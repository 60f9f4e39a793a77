#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Threads whose stacks hold the deepest syntax tree the parser accepts.
///
/// The parser and every check walk the tree recursively, and a file may nest up to
/// `GoParser.maxNesting` levels. Dispatch's and the concurrency pool's threads have 8 MB stacks,
/// which a hostile file nesting a few thousand calls overflows (a crash, not an error). Parsing
/// and linting therefore run on threads of their own with `bytes` of stack: address space only,
/// since the kernel commits a stack's pages when they are first touched.
public enum DeepStack {
    /// Stack reserved per thread. Sized so that the costliest shape at `GoParser.maxNesting`
    /// (`func() int { return …}()` nested, in a debug build) parses and lints with room to spare;
    /// `HostileSourceTests` runs every shape at the limit.
    public static let bytes = 512 << 20

    /// Runs `body` on a deep-stack thread and waits for it. If no such thread can be made (address
    /// space limits), runs it on the caller's thread instead.
    public static func run<T>(_ body: () -> T) -> T {
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) var result: T?
            nonisolated(unsafe) let work = body
            let threads = start(count: 1) { result = work() }
            if threads.isEmpty { return body() }
            join(threads)
            return result!
        }
    }

    /// Calls `body` once for every index in `0..<iterations`, on as many deep-stack threads as
    /// there are processors (like `DispatchQueue.concurrentPerform`). Order is unspecified.
    public static func concurrentPerform(iterations: Int, _ body: (Int) -> Void) {
        guard iterations > 0 else { return }
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let work = body
            let next = Atomic<Int>(0)
            let drain = {
                while true {
                    let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    if index >= iterations { return }
                    work(index)
                }
            }
            let processors = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
            let threads = start(count: min(iterations, processors), drain)
            // Whatever no thread could be made for, the caller does itself.
            drain()
            join(threads)
        }
    }

    private final class Job {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Starts up to `count` threads running `body`; returns those that started.
    private static func start(count: Int, _ body: @escaping () -> Void) -> [pthread_t] {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        guard pthread_attr_setstacksize(&attributes, bytes) == 0 else { return [] }
        var threads: [pthread_t] = []
        for _ in 0..<count {
            let job = Unmanaged.passRetained(Job(body)).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, &attributes, { raw in
                let job = Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue()
                job.body()
                return nil
            }, job)
            if status != 0 {
                Unmanaged<Job>.fromOpaque(job).release()
                break
            }
            threads.append(thread)
        }
        return threads
    }

    private static func join(_ threads: [pthread_t]) {
        for thread in threads { pthread_join(thread, nil) }
    }
}
