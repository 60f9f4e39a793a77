extension TraceReader {
    /// What a batch holds, from its first byte.
    enum BatchKind { case events, strings, stacks, cpuSamples, sync, experimental, empty }

    func kind(of batch: BatchHeader) -> BatchKind {
        if batch.experimental { return .experimental }
        if batch.start == batch.end { return .empty }
        switch data[batch.start] {
        case TraceEventType.strings.rawValue: return .strings
        case TraceEventType.stacks.rawValue: return .stacks
        case TraceEventType.cpuSamples.rawValue: return .cpuSamples
        case TraceEventType.frequency.rawValue where version.minor < 25: return .sync
        case TraceEventType.sync.rawValue where version.minor >= 25: return .sync
        default: return .events
        }
    }

    /// Interns the generation's strings and stacks and reads its clock; counts table entries.
    func readTables() throws(TraceError) {
        for batch in batches where kind(of: batch) == .strings { try readStrings(batch) }
        for batch in batches {
            switch kind(of: batch) {
            case .stacks: try readStacks(batch)
            case .sync: try readSync(batch)
            case .cpuSamples: try readCPUSamples(batch)
            default: break
            }
        }
        guard frequency != 0 else {
            throw TraceError(offset: source.offset, "generation has no frequency event (the trace is truncated or corrupt)")
        }
    }

    /// A cursor over one batch's bytes that reports file offsets in its errors.
    struct BatchCursor {
        let batch: BatchHeader
        var position: Int

        init(_ batch: BatchHeader) {
            self.batch = batch
            position = batch.start
        }

        var atEnd: Bool { position >= batch.end }
        var offset: Int { batch.fileOffset + position - batch.start }

        mutating func byte(_ data: [UInt8]) throws(TraceError) -> UInt8 {
            guard position < batch.end else { throw TraceError(offset: offset, "batch ends inside an event") }
            position += 1
            return data[position - 1]
        }

        mutating func uvarint(_ data: [UInt8], _ what: @autoclosure () -> String) throws(TraceError) -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            let start = offset
            while true {
                guard position < batch.end else { throw TraceError(offset: offset, "batch ends inside \(what())") }
                let byte = data[position]
                position += 1
                if shift == 63 && byte > 1 { throw TraceError(offset: start, "\(what()) does not fit in 64 bits") }
                value |= UInt64(byte & 0x7f) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }
    }

    private func readStrings(_ batch: BatchHeader) throws(TraceError) {
        var cursor = BatchCursor(batch)
        statistics.eventCounts[Int(try cursor.byte(data))] += 1
        while !cursor.atEnd {
            let (at, id) = try readEntryHeader(&cursor, expected: .string, table: "a string in the string table",
                                               first: "a string ID")
            let lengthOffset = cursor.offset
            let length = try cursor.uvarint(data, "a string length")
            guard length <= 1024 else {
                throw TraceError(offset: lengthOffset, "string length \(length) is larger than the maximum of 1,024 bytes")
            }
            guard cursor.position + Int(length) <= batch.end else {
                throw TraceError(offset: cursor.offset, "batch ends inside a string of \(length) bytes")
            }
            let text = String(decoding: data[cursor.position..<cursor.position + Int(length)], as: UTF8.self)
            cursor.position += Int(length)
            guard stringMap.insert(id, names.intern(string: text)) else {
                throw TraceError(offset: at, "string ID \(id) defined twice in one generation")
            }
            statistics.eventCounts[Int(TraceEventType.string.rawValue)] += 1
        }
    }

    /// Reads a table entry's type byte, checks that it is `expected` (`table` names what was expected in
    /// the error), and reads its first argument (`first` names it: the entry's ID). Returns the entry's
    /// file offset and that argument.
    private func readEntryHeader(_ cursor: inout BatchCursor, expected: TraceEventType, table: String,
                                 first: String) throws(TraceError) -> (offset: Int, id: UInt64) {
        let at = cursor.offset
        let type = try cursor.byte(data)
        guard type == expected.rawValue else {
            throw TraceError(offset: at, "expected \(table), found event type \(TraceEventType(rawValue: type))")
        }
        return (at, try cursor.uvarint(data, first))
    }

    private func readStacks(_ batch: BatchHeader) throws(TraceError) {
        var cursor = BatchCursor(batch)
        statistics.eventCounts[Int(try cursor.byte(data))] += 1
        var frames: [TraceFrame] = []
        while !cursor.atEnd {
            let (at, id) = try readEntryHeader(&cursor, expected: .stack, table: "a stack in the stack table",
                                               first: "a stack ID")
            let countOffset = cursor.offset
            let count = try cursor.uvarint(data, "a stack's frame count")
            guard count <= 128 else {
                throw TraceError(offset: countOffset, "stack \(id) has \(count) frames, more than the maximum of 128")
            }
            frames.removeAll(keepingCapacity: true)
            for _ in 0..<count {
                _ = try cursor.uvarint(data, "a frame's PC")
                let functionOffset = cursor.offset
                let function = try cursor.uvarint(data, "a frame's function name ID")
                let file = try cursor.uvarint(data, "a frame's file name ID")
                let line = try cursor.uvarint(data, "a frame's line")
                // String 0 is the empty string, never defined on the wire.
                let functionName = function == 0 ? 0 : stringMap.lookup(function)
                let fileName = file == 0 ? 0 : stringMap.lookup(file)
                guard let functionName, let fileName else {
                    throw TraceError(offset: functionOffset, "stack \(id) names string \(functionName == nil ? function : file), "
                                     + "which the generation does not define")
                }
                frames.append(TraceFrame(function: functionName, file: fileName, line: Int32(truncatingIfNeeded: line)))
            }
            guard stackMap.insert(id, names.intern(stack: frames)) else {
                throw TraceError(offset: at, "stack ID \(id) defined twice in one generation")
            }
            statistics.eventCounts[Int(TraceEventType.stack.rawValue)] += 1
        }
    }

    private func readSync(_ batch: BatchHeader) throws(TraceError) {
        var cursor = BatchCursor(batch)
        if version.minor >= 25 { statistics.eventCounts[Int(try cursor.byte(data))] += 1 }
        while !cursor.atEnd {
            let at = cursor.offset
            let type = try cursor.byte(data)
            switch type {
            case TraceEventType.frequency.rawValue:
                frequency = try cursor.uvarint(data, "the frequency")
                guard frequency > 0 else { throw TraceError(offset: at, "frequency is 0") }
            case TraceEventType.clockSnapshot.rawValue where version.minor >= 25:
                let delta = try cursor.uvarint(data, "a clock snapshot's time")
                _ = try cursor.uvarint(data, "a clock snapshot's monotonic time")
                let seconds = try cursor.uvarint(data, "a clock snapshot's seconds")
                let nanoseconds = try cursor.uvarint(data, "a clock snapshot's nanoseconds")
                let (time, overflow) = batch.time.addingReportingOverflow(delta)
                if !overflow, seconds < 1 << 33 {
                    clockSnapshot = (time, Int64(seconds) * 1_000_000_000 + Int64(nanoseconds % 1_000_000_000))
                }
            default:
                throw TraceError(offset: at, "unexpected event type \(TraceEventType(rawValue: type)) in a sync batch")
            }
            statistics.eventCounts[Int(type)] += 1
        }
    }

    private func readCPUSamples(_ batch: BatchHeader) throws(TraceError) {
        var cursor = BatchCursor(batch)
        statistics.eventCounts[Int(try cursor.byte(data))] += 1
        while !cursor.atEnd {
            _ = try readEntryHeader(&cursor, expected: .cpuSample, table: "a CPU sample", first: "a CPU sample's field")
            for _ in 0..<4 { _ = try cursor.uvarint(data, "a CPU sample's field") }
            statistics.eventCounts[Int(TraceEventType.cpuSample.rawValue)] += 1
        }
    }
}
