#if canImport(Glibc)
import Glibc
#endif

extension TraceReader {
    /// Reads every generation like `read(into:)`, but runs `consumer` on a second thread: this thread
    /// decodes and orders events into fixed-size chunks, the second hands them to `consumer` in the same
    /// order. The consumer sees exactly the calls `read(into:)` makes, so its results are identical; the
    /// call returns when the consumer has seen the last event.
    ///
    /// The `names` the consumer receives is a snapshot of `names` that holds everything its generation
    /// defines (the reader's own table grows while the consumer works on an earlier generation), so a
    /// consumer must resolve names through that argument, not through `reader.names`. Memory grows by
    /// `TraceEventPipeline.chunkCount` chunks of events, about 3 MB.
    ///
    /// On a machine with one processor this is `read(into:)`.
    public func readConcurrently(into consumer: some TraceConsumer) throws(TraceError) {
        guard sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1 else {
            try read(into: consumer)
            return
        }
        let pipeline = TraceEventPipeline(consumer: consumer)
        pipeline.start()
        do {
            try read(into: pipeline)
        } catch {
            pipeline.finish(cancel: true)
            throw error
        }
        pipeline.finish(cancel: false)
    }
}

/// Carries a reader's calls to a consumer on another thread, in order, through a bounded ring of
/// reused event chunks (`TraceReader.readConcurrently(into:)`).
///
/// The reader's thread fills a chunk and hands it over when it is full or its generation ends, waiting
/// while every chunk is in the consumer's hands; the consumer's thread takes chunks in ring order.
/// Only the ring's counters are shared, under one mutex; a chunk belongs to one side at a time.
final class TraceEventPipeline: TraceConsumer {
    /// Events per chunk: large enough that handing a chunk over is rare, small enough that a chunk
    /// stays in the processor's cache while the other side reads it.
    static var chunkCapacity: Int { 8192 }
    /// Chunks in the ring.
    static var chunkCount: Int { 4 }

    /// One chunk: its events, and what comes with them.
    struct Chunk {
        let events: UnsafeMutablePointer<TraceEvent>
        var count = 0
        /// Names for the chunk's events (all of one generation).
        var names: TraceNames?
        /// Set when the generation ended after the chunk's last event.
        var generation: TraceGeneration?
    }

    /// An existential, so the reader's loop is specialised for this class and its `event` inlined.
    private let consumer: any TraceConsumer
    private let chunks: UnsafeMutablePointer<Chunk>
    private let lock: UnsafeMutablePointer<pthread_mutex_t>
    private let changed: UnsafeMutablePointer<pthread_cond_t>
    private var thread = pthread_t()
    private var threadStarted = false

    // Under `lock`.
    /// Chunks handed over and not yet consumed.
    private var handedOver = 0
    /// The reader is done (no more chunks will come).
    private var done = false
    /// The reader failed: the consumer stops at the next chunk.
    private var cancelled = false

    // The reader's side, touched per event.
    @exclusivity(unchecked) private var filling = 0
    @exclusivity(unchecked) private var current: UnsafeMutablePointer<Chunk>
    /// Names of the generation being filled; nil until its first event.
    @exclusivity(unchecked) private var snapshot: TraceNames?

    init(consumer: any TraceConsumer) {
        self.consumer = consumer
        chunks = .allocate(capacity: Self.chunkCount)
        for index in 0..<Self.chunkCount {
            (chunks + index).initialize(to: Chunk(events: .allocate(capacity: Self.chunkCapacity)))
        }
        current = chunks
        lock = .allocate(capacity: 1)
        lock.initialize(to: pthread_mutex_t())
        pthread_mutex_init(lock, nil)
        changed = .allocate(capacity: 1)
        changed.initialize(to: pthread_cond_t())
        pthread_cond_init(changed, nil)
    }

    deinit {
        for index in 0..<Self.chunkCount {
            chunks[index].events.deallocate()
        }
        chunks.deinitialize(count: Self.chunkCount)
        chunks.deallocate()
        pthread_mutex_destroy(lock)
        lock.deallocate()
        pthread_cond_destroy(changed)
        changed.deallocate()
    }

    /// Starts the consumer's thread.
    func start() {
        let body = ThreadBody { [self] in consume() }
        var started = pthread_t()
        let context = Unmanaged.passRetained(body).toOpaque()
        if pthread_create(&started, nil, runThreadBody, context) == 0 {
            thread = started
            threadStarted = true
        } else {
            // No thread: the reader's thread consumes each chunk as it hands it over.
            Unmanaged<ThreadBody>.fromOpaque(context).release()
        }
    }

    /// Hands over the last chunk and waits for the consumer to finish it (or, with `cancel`, to stop).
    func finish(cancel: Bool) {
        if !cancel && (current.pointee.count > 0 || current.pointee.generation != nil) { handOver() }
        guard threadStarted else { return }
        pthread_mutex_lock(lock)
        done = true
        cancelled = cancelled || cancel
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(lock)
        pthread_join(thread, nil)
        threadStarted = false
    }

    func event(_ event: TraceEvent, names: TraceNames) {
        if current.pointee.count == Self.chunkCapacity { handOver() }
        if snapshot == nil { snapshot = names.snapshot() }
        current.pointee.events[current.pointee.count] = event
        current.pointee.count += 1
    }

    func generationEnded(_ generation: TraceGeneration, names: TraceNames) {
        if snapshot == nil { snapshot = names.snapshot() }
        current.pointee.generation = generation
        handOver()
        snapshot = nil
    }

    /// Gives the chunk being filled to the consumer and moves to the next, waiting until it is free.
    private func handOver() {
        current.pointee.names = snapshot
        guard threadStarted else {
            deliver(current)
            return
        }
        pthread_mutex_lock(lock)
        handedOver += 1
        pthread_cond_broadcast(changed)
        while handedOver == Self.chunkCount { pthread_cond_wait(changed, lock) }
        pthread_mutex_unlock(lock)
        filling = (filling + 1) % Self.chunkCount
        current = chunks + filling
    }

    /// The consumer's thread: takes chunks in ring order until the reader is done.
    private func consume() {
        var next = 0
        while true {
            pthread_mutex_lock(lock)
            while handedOver == 0 && !done && !cancelled { pthread_cond_wait(changed, lock) }
            let stop = cancelled || handedOver == 0
            pthread_mutex_unlock(lock)
            if stop { return }
            deliver(chunks + next)
            next = (next + 1) % Self.chunkCount
            pthread_mutex_lock(lock)
            handedOver -= 1
            pthread_cond_broadcast(changed)
            pthread_mutex_unlock(lock)
        }
    }

    /// Hands a chunk's events (and its generation's end) to the consumer and empties it.
    private func deliver(_ chunk: UnsafeMutablePointer<Chunk>) {
        if let names = chunk.pointee.names {
            for index in 0..<chunk.pointee.count { consumer.event(chunk.pointee.events[index], names: names) }
            if let generation = chunk.pointee.generation { consumer.generationEnded(generation, names: names) }
        }
        chunk.pointee.count = 0
        chunk.pointee.names = nil
        chunk.pointee.generation = nil
    }
}

/// What a thread started with `runThreadBody` runs.
private final class ThreadBody {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}

/// A pthread's start routine: runs the `ThreadBody` passed retained as `context`.
private func runThreadBody(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue().run()
    return nil
}
