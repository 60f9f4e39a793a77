/// A streaming reader of Go execution traces in the generational format (Go 1.22 through 1.27).
///
/// The trace is read one generation (about one second of the program) at a time: the generation's
/// batches are gathered, its string and stack tables interned, and its per-thread event streams merged
/// in time order while each goroutine's state is reconstructed. Memory holds one generation's bytes plus
/// the goroutines alive, never the whole trace.
///
/// ```swift
/// let reader = try TraceReader(path: "service.trace")
/// try reader.read(into: consumer)
/// ```
///
/// Every failure is a `TraceError` with the byte offset of the problem.
public final class TraceReader {
    /// The format version from the header.
    public let version: TraceVersion
    /// Interned strings and stacks seen so far.
    public let names = TraceNames()
    /// Counts of what was read.
    public internal(set) var statistics = TraceStatistics()
    /// Largest generation accepted, in bytes of batch data (hostile input must not exhaust memory).
    public var maxGenerationBytes = 1 << 30

    let source: TraceByteSource
    /// Arguments per event type (256 entries, -1 for types invalid in an event batch); never freed
    /// before the reader.
    let argumentCounts: UnsafeMutablePointer<Int8>
    /// A batch read ahead that belongs to the next generation (formats before 1.26 have no end marker).
    var spilled: (header: BatchHeader, data: [UInt8])?
    var finished = false

    // Reused per generation. The reader is used from one thread at a time and never re-entered, so
    // the dynamic exclusivity checks on these (a runtime call per access in the merge loop) are off.
    @exclusivity(unchecked) var data: [UInt8] = []
    @exclusivity(unchecked) var batches: [BatchHeader] = []
    @exclusivity(unchecked) var stringMap = IDMap()
    @exclusivity(unchecked) var stackMap = IDMap()
    @exclusivity(unchecked) var frequency: UInt64 = 0
    @exclusivity(unchecked) var clockSnapshot: (time: UInt64, wall: Int64)?

    // Reconstructed state that outlives generations.
    @exclusivity(unchecked) var goroutineStates = GoroutineStates()
    @exclusivity(unchecked) var streamBatches: [Int] = []
    @exclusivity(unchecked) var threadGoroutine: [UInt64: UInt64] = [:]
    /// This generation's streams by thread, while it is merged.
    @exclusivity(unchecked) var streamIndexOfThread: [UInt64: Int] = [:]

    /// Opens `path` and reads its header.
    public convenience init(path: String) throws(TraceError) {
        try self.init(source: TraceByteSource(path: path))
    }

    /// Reads a trace held in memory (a body fetched from `/debug/pprof/trace`).
    public convenience init(bytes: [UInt8]) throws(TraceError) {
        try self.init(source: TraceByteSource(bytes: bytes))
    }

    init(source: TraceByteSource) throws(TraceError) {
        self.source = source
        var header: [UInt8] = []
        while header.count < TraceVersion.headerSize, let byte = try source.readByte() { header.append(byte) }
        if header.isEmpty { throw TraceError(offset: 0, "empty input: not a Go execution trace") }
        version = try TraceVersion.parse(header: header)
        argumentCounts = .allocate(capacity: 256)
        argumentCounts.initialize(from: TraceEventType.batchArgumentCounts(for: version), count: 256)
        statistics.bytes = header.count
    }

    deinit { argumentCounts.deallocate() }

    /// One batch: where its data lies in `data` and in the file.
    struct BatchHeader {
        var generation: UInt64
        var thread: UInt64
        var time: UInt64
        var start: Int
        var end: Int
        var fileOffset: Int
        var experimental: Bool
        var isEndOfGeneration: Bool
    }

    /// Reads every generation, handing each event to `consumer`.
    public func read(into consumer: some TraceConsumer) throws(TraceError) {
        while try readGeneration() {
            let generation = try mergeEvents(into: consumer)
            consumer.generationEnded(generation, names: names)
        }
    }

    /// Gathers the next generation's batches into `data`/`batches` and interns its tables; false at the end.
    func readGeneration() throws(TraceError) -> Bool {
        data.removeAll(keepingCapacity: true)
        batches.removeAll(keepingCapacity: true)
        stringMap.removeAll()
        stackMap.removeAll()
        frequency = 0
        clockSnapshot = nil
        if finished { return false }
        var number: UInt64 = 0
        if let (header, bytes) = spilled {
            spilled = nil
            number = header.generation
            add(header, bytes)
        }
        while true {
            let batchOffset = source.offset
            guard let header = try readBatchHeader() else {
                finished = true
                if batches.isEmpty { return false }
                if version.minor >= 26 {
                    throw TraceError(offset: source.offset, "trace ends inside generation \(number) (no end-of-generation "
                                     + "marker): the trace is truncated")
                }
                break
            }
            if header.isEndOfGeneration {
                statistics.eventCounts[Int(TraceEventType.endOfGeneration.rawValue)] += 1
                if batches.isEmpty { continue }
                break
            }
            guard header.generation != 0 else { throw TraceError(offset: batchOffset, "batch has generation number 0") }
            if number == 0 { number = header.generation }
            if header.generation != number {
                guard version.minor < 26, header.generation > number else {
                    throw TraceError(offset: batchOffset, "batch of generation \(header.generation) inside generation "
                                     + "\(number): generations are interleaved or out of order")
                }
                let bytes = try source.readBytes(header.end - header.start, what: "a batch")
                spilled = (header, Array(bytes))
                break
            }
            try source.append(header.end - header.start, to: &data, what: "batch of \(header.end - header.start) bytes")
            batches.append(header)
            statistics.batches += 1
            statistics.eventCounts[Int(header.experimental ? TraceEventType.experimentalBatch.rawValue
                                        : TraceEventType.eventBatch.rawValue)] += 1
            if data.count > maxGenerationBytes {
                throw TraceError(offset: source.offset, "generation \(number) is larger than the limit of \(maxGenerationBytes) bytes")
            }
        }
        statistics.generations += 1
        statistics.largestGeneration = max(statistics.largestGeneration, data.count)
        statistics.bytes = source.offset
        try readTables()
        return true
    }

    private func add(_ header: BatchHeader, _ bytes: [UInt8]) {
        var header = header
        header.start = data.count
        data.append(contentsOf: bytes)
        header.end = data.count
        batches.append(header)
        statistics.batches += 1
        statistics.eventCounts[Int(header.experimental ? TraceEventType.experimentalBatch.rawValue
                                    : TraceEventType.eventBatch.rawValue)] += 1
    }

    /// Reads a batch header (`EventBatch gen m time size` or `ExperimentalBatch exp gen m time size`) or
    /// the end-of-generation marker. Start and end are relative to `data`'s end at the time.
    private func readBatchHeader() throws(TraceError) -> BatchHeader? {
        let offset = source.offset
        guard let type = try source.readByte() else { return nil }
        if type == TraceEventType.endOfGeneration.rawValue && version.minor >= 26 {
            return BatchHeader(generation: 0, thread: 0, time: 0, start: 0, end: 0, fileOffset: offset,
                               experimental: false, isEndOfGeneration: true)
        }
        let experimental = type == TraceEventType.experimentalBatch.rawValue && version.minor >= 23
        guard type == TraceEventType.eventBatch.rawValue || experimental else {
            throw TraceError(offset: offset, "expected a batch header, found event type \(TraceEventType(rawValue: type))")
        }
        if experimental { _ = try source.readByte() }
        let generation = try source.readUvarint(what: "the batch's generation")
        let thread = try source.readUvarint(what: "the batch's thread ID")
        let time = try source.readUvarint(what: "the batch's timestamp")
        let sizeOffset = source.offset
        let size = try source.readUvarint(what: "the batch's size")
        guard size <= 64 << 10 else {
            throw TraceError(offset: sizeOffset, "batch size \(size) is larger than the maximum of 65,536 bytes")
        }
        return BatchHeader(generation: generation, thread: thread, time: time, start: data.count,
                           end: data.count + Int(size), fileOffset: source.offset, experimental: experimental,
                           isEndOfGeneration: false)
    }
}
