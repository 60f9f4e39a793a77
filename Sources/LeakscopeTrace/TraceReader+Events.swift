extension TraceReader {
    /// One thread's events in a generation: its batches in file order, decoded one event ahead.
    struct ThreadStream {
        var thread: UInt64
        /// This thread's batches are `streamBatches[nextBatch..<lastBatch]`.
        var nextBatch: Int
        var lastBatch: Int
        var position = 0
        var end = 0
        /// File offset minus `data` index for the current batch.
        var fileBase = 0
        var ticks: UInt64 = 0
        var hasEvent = false
        var type: UInt8 = 0
        var arguments: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var eventOffset = 0
        /// The goroutine running on this thread.
        var goroutine: UInt64 = 0
    }

    /// The type and file offset of the event being delivered, for error messages.
    struct PendingEvent {
        var type: UInt8
        var eventOffset: Int
    }

    /// Merges the generation's per-thread streams by time, reconstructs goroutine states and hands every
    /// event to `consumer`.
    func mergeEvents(into consumer: some TraceConsumer) throws(TraceError) -> TraceGeneration {
        // Each thread's batches, in file order, back to back in `streamBatches`.
        var batchesOfThread: [[Int]] = []
        var streamOfThread: [UInt64: Int] = [:]
        for (index, batch) in batches.enumerated() where kind(of: batch) == .events {
            if let existing = streamOfThread[batch.thread] {
                batchesOfThread[existing].append(index)
            } else {
                streamOfThread[batch.thread] = batchesOfThread.count
                batchesOfThread.append([index])
            }
        }
        streamBatches.removeAll(keepingCapacity: true)
        var streamList: [ThreadStream] = []
        for list in batchesOfThread {
            let thread = batches[list[0]].thread
            streamList.append(ThreadStream(thread: thread, nextBatch: streamBatches.count, lastBatch: streamBatches.count + list.count,
                                        goroutine: threadGoroutine[thread] ?? 0))
            streamBatches += list
        }
        // Hot state lives in locals while the generation is merged (no exclusivity checks on `self`).
        var states = GoroutineStates()
        swap(&states, &goroutineStates)
        defer { swap(&states, &goroutineStates) }
        // Counts and streams in plain memory: the loop touches them per event, and an array would be
        // checked for uniqueness on every write.
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: 256)
        counts.initialize(repeating: 0, count: 256)
        defer {
            for type in 0..<256 where counts[type] > 0 { statistics.eventCounts[type] += counts[type] }
            counts.deallocate()
        }
        let nanosecondsPerTick = 1e9 / Double(frequency)
        let tickShift = Self.tickShift(frequency: frequency)
        let number = batches.first?.generation ?? 0
        let names = self.names
        let tables = DenseTables(stacks: stackMap, strings: stringMap)
        defer { tables.deallocate() }
        // Read by the rare status events through `self`, so the loop passes no reference-counted value.
        streamIndexOfThread = streamOfThread
        var first = Int64.max
        var last = Int64.min
        let streams = UnsafeMutableBufferPointer<ThreadStream>.allocate(capacity: streamList.count)
        _ = streams.initialize(from: streamList)
        defer { streams.deallocate() }
        try data.withUnsafeBufferPointer { (bytes) throws(TraceError) in
            for index in streams.indices { try advance(&streams[index], bytes, counts) }
            while true {
                // The earliest event that can happen next; if none can (a broken trace), the earliest.
                var best = -1
                var bestTicks = UInt64.max
                var earliest = -1
                var earliestTicks = UInt64.max
                var secondTicks = UInt64.max
                for index in streams.indices where streams[index].hasEvent {
                    let ticks = streams[index].ticks
                    if ticks < earliestTicks {
                        secondTicks = earliestTicks
                        earliestTicks = ticks
                        earliest = index
                    } else if ticks < secondTicks {
                        secondTicks = ticks
                    }
                    if ticks < bestTicks && isReady(streams[index], &states, generation: number) {
                        best = index
                        bestTicks = ticks
                    }
                }
                if best < 0 { best = earliest }
                if best < 0 { break }
                // Events of this thread up to the next thread's earliest event need no new comparison.
                let bound = best == earliest ? secondTicks : earliestTicks
                repeat {
                    let time = Self.nanoseconds(streams[best].ticks, nanosecondsPerTick, shift: tickShift)
                    first = min(first, time)
                    last = max(last, time)
                    try deliver(streams, best, time: time, generation: number, states: &states, names: names,
                                tables: tables, consumer: consumer)
                    try advance(&streams[best], bytes, counts)
                } while streams[best].hasEvent && streams[best].ticks <= bound && isReady(streams[best], &states, generation: number)
            }
        }
        for stream in streams { threadGoroutine[stream.thread] = stream.goroutine }
        var generation = TraceGeneration(number: batches.first?.generation ?? 0, start: first == .max ? 0 : first,
                                          end: last == .min ? 0 : last, frequency: frequency)
        if let clockSnapshot {
            generation.clockSnapshotTime = Self.nanoseconds(clockSnapshot.time, nanosecondsPerTick)
            generation.wallClock = clockSnapshot.wall
        }
        return generation
    }

    /// log2 of the nanoseconds per tick when that is a whole power of two (64 ns on Linux), else -1.
    static func tickShift(frequency: UInt64) -> Int {
        guard frequency > 0, 1_000_000_000 % frequency == 0 else { return -1 }
        let perTick = 1_000_000_000 / frequency
        return perTick & (perTick - 1) == 0 ? perTick.trailingZeroBitCount : -1
    }

    /// `nanoseconds(ticks, nanosecondsPerTick)` by a shift when `shift` allows: the same value (below
    /// 2^53 the Double product by a power of two is exact), without the floating-point round trip that
    /// was a quarter of the merge loop.
    @inline(__always)
    static func nanoseconds(_ ticks: UInt64, _ nanosecondsPerTick: Double, shift: Int) -> Int64 {
        // shift ≤ 9 (1e9 has 2^9 as its largest power-of-two divisor), so ticks << shift < 2^62.
        if shift >= 0 && ticks < 1 << 53 {
            let value = ticks << UInt64(shift)
            if value < 4_600_000_000_000_000_000 { return Int64(value) }
        }
        return nanoseconds(ticks, nanosecondsPerTick)
    }

    /// Trace time in nanoseconds of a timestamp, at most 2^62 (146 years): a hostile timestamp or
    /// frequency cannot make it overflow, nor sums of a few such times.
    @inline(__always)
    static func nanoseconds(_ ticks: UInt64, _ nanosecondsPerTick: Double) -> Int64 {
        let value = Double(ticks) * nanosecondsPerTick
        return value < 4.6e18 ? Int64(value) : 1 << 62
    }

    /// Whether the stream's pending event is consistent with the goroutine states so far, as in Go's
    /// reader: a goroutine starts only when runnable and is woken only when waiting, each with the next
    /// sequence number. (When no stream's event is ready, a broken trace, the earliest goes anyway.)
    @inline(__always)
    private func isReady(_ stream: ThreadStream, _ states: inout GoroutineStates, generation: UInt64) -> Bool {
        switch stream.type {
        case TraceEventType.goStart.rawValue:
            guard let slot = states.slot(stream.arguments.0) else { return false }
            return slot.state == .runnable && slot.isFollowed(by: stream.arguments.1, in: generation)
        case TraceEventType.goUnblock.rawValue, TraceEventType.goSwitch.rawValue, TraceEventType.goSwitchDestroy.rawValue:
            guard let slot = states.slot(stream.arguments.0) else { return false }
            return slot.state == .waiting && slot.isFollowed(by: stream.arguments.1, in: generation)
        default:
            return true
        }
    }

    /// Decodes the stream's next event into its pending slot, moving to its next batch when needed.
    @inline(__always)
    private func advance(_ stream: inout ThreadStream, _ bytes: UnsafeBufferPointer<UInt8>,
                         _ counts: UnsafeMutablePointer<Int>) throws(TraceError) {
        while stream.position >= stream.end {
            guard stream.nextBatch < stream.lastBatch else {
                stream.hasEvent = false
                return
            }
            let batch = batches[streamBatches[stream.nextBatch]]
            stream.nextBatch += 1
            stream.position = batch.start
            stream.end = batch.end
            stream.fileBase = batch.fileOffset - batch.start
            stream.ticks = batch.time
        }
        stream.eventOffset = stream.fileBase + stream.position
        let type = bytes[stream.position]
        let count = Int(argumentCounts[Int(type)])
        guard count >= 1 else {
            throw TraceError(offset: stream.eventOffset, "unknown or misplaced event type \(TraceEventType(rawValue: type)) "
                             + "in an event batch of a \(version) trace")
        }
        // Arguments decoded into scalars, not a tuple in memory written by index: reading such a tuple
        // back as a whole stalled on store forwarding (a quarter of this loop's time).
        var position = stream.position + 1
        let end = stream.end
        let delta = try uvarint(bytes, &position, end, type, stream.fileBase)
        var a1: UInt64 = 0, a2: UInt64 = 0, a3: UInt64 = 0, a4: UInt64 = 0
        if count > 1 {
            a1 = try uvarint(bytes, &position, end, type, stream.fileBase)
            if count > 2 {
                a2 = try uvarint(bytes, &position, end, type, stream.fileBase)
                if count > 3 {
                    a3 = try uvarint(bytes, &position, end, type, stream.fileBase)
                    if count > 4 { a4 = try uvarint(bytes, &position, end, type, stream.fileBase) }
                }
            }
        }
        stream.position = position
        let (ticks, overflow) = stream.ticks.addingReportingOverflow(delta)
        guard !overflow else { throw TraceError(offset: stream.eventOffset, "timestamp overflows 64 bits") }
        stream.ticks = ticks
        stream.type = type
        stream.arguments = (a1, a2, a3, a4)
        stream.hasEvent = true
        counts[Int(type)] += 1
    }

    /// An unsigned LEB128 argument of the event of type `type` at `position` in `stream`'s batch.
    @inline(__always)
    private func uvarint(_ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int, _ end: Int,
                         _ type: UInt8, _ fileBase: Int) throws(TraceError) -> UInt64 {
        guard position < end else { throw batchEnds(fileBase + position, type) }
        var byte = bytes[position]
        position += 1
        if byte < 0x80 { return UInt64(byte) }
        var value = UInt64(byte & 0x7f)
        var shift: UInt64 = 7
        while true {
            guard position < end else { throw batchEnds(fileBase + position, type) }
            byte = bytes[position]
            position += 1
            if shift == 63 && byte > 1 {
                throw TraceError(offset: fileBase + position - 1,
                                 "an argument of a \(TraceEventType(rawValue: type)) event does not fit in 64 bits")
            }
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    @inline(never)
    private func batchEnds(_ offset: Int, _ type: UInt8) -> TraceError {
        TraceError(offset: offset, "batch ends inside a \(TraceEventType(rawValue: type)) event")
    }

    @inline(__always)
    private func stack(_ wire: UInt64, _ stream: PendingEvent, _ dense: UnsafeMutableBufferPointer<Int32>) throws(TraceError) -> Int32 {
        if wire == 0 { return 0 }
        if wire < UInt64(dense.count), dense[Int(wire)] >= 0 { return dense[Int(wire)] }
        return try lookUp(wire, stream, stack: true)
    }

    @inline(__always)
    private func string(_ wire: UInt64, _ stream: PendingEvent, _ dense: UnsafeMutableBufferPointer<Int32>) throws(TraceError) -> Int32 {
        if wire == 0 { return 0 }
        if wire < UInt64(dense.count), dense[Int(wire)] >= 0 { return dense[Int(wire)] }
        return try lookUp(wire, stream, stack: false)
    }

    /// An ID past the dense part of its map (or undefined): the map's sparse part, or an error.
    @inline(never)
    private func lookUp(_ wire: UInt64, _ stream: PendingEvent, stack: Bool) throws(TraceError) -> Int32 {
        guard let id = (stack ? stackMap : stringMap).lookup(wire) else {
            throw TraceError(offset: stream.eventOffset, "\(TraceEventType(rawValue: stream.type)) event names "
                             + "\(stack ? "stack" : "string") \(wire), which its generation does not define")
        }
        return id
    }

    /// The merge-loop index of thread `thread`'s stream in this generation, if it has one.
    @inline(never)
    private func streamIndex(of thread: UInt64) -> Int? { streamIndexOfThread[thread] }

    /// Applies the pending event of `streams[index]` to the goroutine states and hands it on.
    private func deliver(_ streams: UnsafeMutableBufferPointer<ThreadStream>, _ index: Int, time: Int64, generation: UInt64,
                         states goroutineStates: inout GoroutineStates, names: TraceNames,
                         tables: DenseTables,
                         consumer: some TraceConsumer) throws(TraceError) {
        let stream = PendingEvent(type: streams[index].type, eventOffset: streams[index].eventOffset)
        let arguments = streams[index].arguments
        let thread = streams[index].thread
        let current = streams[index].goroutine
        var event = TraceEvent(type: TraceEventType(rawValue: stream.type), time: time, thread: thread,
                               goroutine: current, arguments: arguments)
        // What changes: set in the switch, applied after it (a local function capturing `event` and the
        // states would cost a context and access checks per event).
        var subject: UInt64 = 0
        var from = GoroutineState.undetermined
        var to = GoroutineState.undetermined
        var sequence: UInt64? = nil
        switch stream.type {
        case TraceEventType.goCreate.rawValue, TraceEventType.goCreateBlocked.rawValue:
            event.stack = try stack(arguments.2, stream, tables.stacks)
            event.newStack = try stack(arguments.1, stream, tables.stacks)
            (subject, from, to, sequence) = (arguments.0, .notExist,
                                             stream.type == TraceEventType.goCreate.rawValue ? .runnable : .waiting, 0)
        case TraceEventType.goCreateSyscall.rawValue:
            (subject, from, to, sequence) = (arguments.0, .notExist, .syscall, 0)
            streams[index].goroutine = arguments.0
        case TraceEventType.goStart.rawValue:
            (subject, from, to, sequence) = (arguments.0, .runnable, .running, arguments.1)
            streams[index].goroutine = arguments.0
        case TraceEventType.goDestroy.rawValue:
            (subject, from, to) = (current, .running, .notExist)
            streams[index].goroutine = 0
        case TraceEventType.goDestroySyscall.rawValue:
            (subject, from, to) = (current, .syscall, .notExist)
            streams[index].goroutine = 0
        case TraceEventType.goStop.rawValue, TraceEventType.goBlock.rawValue:
            event.reason = try string(arguments.0, stream, tables.strings)
            event.stack = try stack(arguments.1, stream, tables.stacks)
            (subject, from, to) = (current, .running, stream.type == TraceEventType.goStop.rawValue ? .runnable : .waiting)
            streams[index].goroutine = 0
        case TraceEventType.goUnblock.rawValue:
            event.stack = try stack(arguments.2, stream, tables.stacks)
            (subject, from, to, sequence) = (arguments.0, .waiting, .runnable, arguments.1)
        case TraceEventType.goSyscallBegin.rawValue:
            event.stack = try stack(arguments.1, stream, tables.stacks)
            (subject, from, to) = (current, .running, .syscall)
        case TraceEventType.goSyscallEnd.rawValue:
            (subject, from, to) = (current, .syscall, .running)
        case TraceEventType.goSyscallEndBlocked.rawValue:
            (subject, from, to) = (current, .syscall, .runnable)
        case TraceEventType.goStatus.rawValue, TraceEventType.goStatusStack.rawValue:
            guard let state = GoroutineState(wire: arguments.2) else {
                throw TraceError(offset: stream.eventOffset, "goroutine \(arguments.0) has invalid status \(arguments.2)")
            }
            if stream.type == TraceEventType.goStatusStack.rawValue { event.stack = try stack(arguments.3, stream, tables.stacks) }
            let known = goroutineStates[arguments.0]
            (subject, from, to, sequence) = (arguments.0, known == .notExist ? .undetermined : known, state, 0)
            if state == .running || state == .syscall {
                if let other = streamIndex(of: arguments.1) {
                    streams[other].goroutine = arguments.0
                } else {
                    threadGoroutine[arguments.1] = arguments.0
                }
            }
        case TraceEventType.goSwitch.rawValue, TraceEventType.goSwitchDestroy.rawValue:
            // The running goroutine parks (or ends) and hands its thread to the target: two changes.
            let ends = stream.type == TraceEventType.goSwitchDestroy.rawValue
            event.subject = current
            event.from = .running
            event.to = ends ? .notExist : .waiting
            goroutineStates.set(current, event.to, generation: generation, sequence: nil)
            consumer.event(event, names: names)
            event = TraceEvent(type: TraceEventType(rawValue: stream.type), time: time, thread: thread,
                               goroutine: current, arguments: arguments)
            (subject, from, to, sequence) = (arguments.0, .runnable, .running, arguments.1)
            streams[index].goroutine = arguments.0
        default:
            break
        }
        if subject != 0 || from != .undetermined {
            event.subject = subject
            event.from = from
            event.to = to
            goroutineStates.set(subject, to, generation: generation, sequence: sequence)
        }
        consumer.event(event, names: names)
    }
}
