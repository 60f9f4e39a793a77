extension Profile {
    /// Serializes the profile as uncompressed profile.proto, laid out byte for byte
    /// as pprof's encoder (`profile/encode.go`) lays out the same profile: the string
    /// table is rebuilt in first-use order, zero values are left out (except
    /// `default_sample_type`), labels are written string labels first, each group
    /// sorted by key, and repeated integers are packed only when there are more than two.
    ///
    /// Indices that point outside their arrays (only possible in hand-built profiles;
    /// `validate()` rejects them) are written as ID 0.
    public func encode() -> [UInt8] {
        var encoder = ProtoEncoder()
        encoder.writer.bytes.reserveCapacity(max(1024, samples.count &* 24))
        encoder.encode(self)
        return encoder.writer.bytes
    }

    /// `encode()` gzipped, the on-disk form of a profile (what `go tool pprof -proto` writes).
    public func encodeGzipped() -> [UInt8] {
        Gzip.compress(encode())
    }
}

/// The strings of a profile in first-use order, with their indices.
struct StringTableBuilder {
    private(set) var strings: [String] = [""]
    private var indices: [String: Int] = ["": 0]

    @inline(__always)
    mutating func index(_ string: String) -> Int64 {
        if string.isEmpty { return 0 }
        if let index = indices[string] { return Int64(index) }
        let index = strings.count
        indices[string] = index
        strings.append(string)
        return Int64(index)
    }
}

struct ProtoEncoder {
    var writer = WireWriter()
    var table = StringTableBuilder()
    private var locationIDs: [UInt64] = []
    private var labelOrder: [Int] = []

    mutating func encode(_ profile: Profile) {
        for sampleType in profile.sampleTypes {
            writeValueType(1, sampleType)
        }
        locationIDs = profile.locations.map(\.id)
        for sample in profile.samples {
            writeSample(sample)
        }
        for mapping in profile.mappings {
            let mark = writer.beginMessage()
            writer.uint64Opt(1, mapping.id)
            writer.uint64Opt(2, mapping.start)
            writer.uint64Opt(3, mapping.limit)
            writer.uint64Opt(4, mapping.offset)
            writer.int64Opt(5, table.index(mapping.file))
            writer.int64Opt(6, table.index(mapping.buildID))
            writer.boolOpt(7, mapping.hasFunctions)
            writer.boolOpt(8, mapping.hasFilenames)
            writer.boolOpt(9, mapping.hasLineNumbers)
            writer.boolOpt(10, mapping.hasInlineFrames)
            writer.endMessage(3, mark)
        }
        for location in profile.locations {
            let mark = writer.beginMessage()
            writer.uint64Opt(1, location.id)
            if let mapping = location.mapping {
                writer.uint64Opt(2, profile.mappings.indices.contains(mapping) ? profile.mappings[mapping].id : 0)
            }
            writer.uint64Opt(3, location.address)
            for line in location.lines {
                let lineMark = writer.beginMessage()
                if let function = line.function {
                    writer.uint64Opt(1, profile.functions.indices.contains(function) ? profile.functions[function].id : 0)
                }
                writer.int64Opt(2, line.line)
                writer.int64Opt(3, line.column)
                writer.endMessage(4, lineMark)
            }
            writer.boolOpt(5, location.isFolded)
            writer.endMessage(4, mark)
        }
        for function in profile.functions {
            let mark = writer.beginMessage()
            writer.uint64Opt(1, function.id)
            writer.int64Opt(2, table.index(function.name))
            writer.int64Opt(3, table.index(function.systemName))
            writer.int64Opt(4, table.index(function.filename))
            writer.int64Opt(5, function.startLine)
            writer.endMessage(5, mark)
        }

        // Interned in pprof's preEncode order, before the table is written.
        let dropFrames = table.index(profile.dropFrames)
        let keepFrames = table.index(profile.keepFrames)
        let periodType = profile.periodType.map { (table.index($0.type), table.index($0.unit)) }
        let comments = profile.comments.map { UInt64(bitPattern: table.index($0)) }
        let defaultSampleType = table.index(profile.defaultSampleType)
        let docURL = table.index(profile.docURL)

        for string in table.strings {
            writer.string(6, string)
        }
        writer.int64Opt(7, dropFrames)
        writer.int64Opt(8, keepFrames)
        writer.int64Opt(9, profile.timeNanos)
        writer.int64Opt(10, profile.durationNanos)
        if let (type, unit) = periodType, type != 0 || unit != 0 {
            let mark = writer.beginMessage()
            writer.int64Opt(1, type)
            writer.int64Opt(2, unit)
            writer.endMessage(11, mark)
        }
        writer.int64Opt(12, profile.period)
        writer.repeated(13, comments)
        writer.uint64(14, UInt64(bitPattern: defaultSampleType))
        writer.int64Opt(15, docURL)
    }

    private mutating func writeValueType(_ field: UInt64, _ valueType: ValueType) {
        let mark = writer.beginMessage()
        writer.int64Opt(1, table.index(valueType.type))
        writer.int64Opt(2, table.index(valueType.unit))
        writer.endMessage(field, mark)
    }

    private mutating func writeSample(_ sample: Sample) {
        let mark = writer.beginMessage()
        let ids = locationIDs
        writer.repeated(1, sample.locations.lazy.map { ids.indices.contains($0) ? ids[$0] : 0 })
        writer.repeated(2, sample.values.lazy.map { UInt64(bitPattern: $0) })
        if !sample.labels.isEmpty {
            Self.pprofLabelOrder(sample.labels, into: &labelOrder)
            for index in labelOrder {
                let label = sample.labels[index]
                let labelMark = writer.beginMessage()
                writer.int64Opt(1, table.index(label.key))
                switch label.value {
                case .string(let value):
                    writer.int64Opt(2, table.index(value))
                case .number(let value, let unit):
                    writer.int64Opt(3, value)
                    writer.int64Opt(4, table.index(unit))
                }
                writer.endMessage(3, labelMark)
            }
        }
        writer.endMessage(2, mark)
    }

    /// pprof keeps labels in maps and writes string labels, then numeric ones, each
    /// sorted by key (byte order) with same-key values in their original order.
    static func pprofLabelOrder(_ labels: [Label], into order: inout [Int]) {
        order.removeAll(keepingCapacity: true)
        order.append(contentsOf: labels.indices)
        guard labels.count > 1 else { return }
        order.sort { a, b in
            let left = labels[a], right = labels[b]
            let leftIsString = left.value.isString, rightIsString = right.value.isString
            if leftIsString != rightIsString { return leftIsString }
            if left.key != right.key { return left.key.utf8.lexicographicallyPrecedes(right.key.utf8) }
            return a < b
        }
    }
}

extension Label.Value {
    var isString: Bool {
        if case .string = self { return true }
        return false
    }
}
