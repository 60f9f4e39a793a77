/// Decoding of profile.proto's nested messages. Later scalar fields win, as in
/// pprof and proto3; unknown fields are skipped.
extension ProtoDecoder {
    func decodeValueType(_ range: Range<Int>, _ what: String) throws(ProfileError) -> ValueType {
        var reader = WireReader(bytes: bytes, range: range)
        var type = StringRef(offset: range.lowerBound), unit = StringRef(offset: range.lowerBound)
        while !reader.isAtEnd {
            let offset = reader.position
            let (field, wire) = try reader.readTag()
            switch field {
            case 1: type = StringRef(index: try Self.varint(&reader, wire, "\(what).type", at: offset), offset: offset)
            case 2: unit = StringRef(index: try Self.varint(&reader, wire, "\(what).unit", at: offset), offset: offset)
            default: try reader.skip(wire)
            }
        }
        return ValueType(type: try string(type, "\(what).type"), unit: try string(unit, "\(what).unit"))
    }

    func decodeMapping(_ range: Range<Int>) throws(ProfileError) -> Mapping {
        var reader = WireReader(bytes: bytes, range: range)
        var mapping = Mapping(id: 0)
        var file = StringRef(offset: range.lowerBound), buildID = StringRef(offset: range.lowerBound)
        while !reader.isAtEnd {
            let offset = reader.position
            let (field, wire) = try reader.readTag()
            guard field <= 10 else {
                try reader.skip(wire)
                continue
            }
            let value = try Self.varint(&reader, wire, "Mapping field \(field)", at: offset)
            switch field {
            case 1: mapping.id = value
            case 2: mapping.start = value
            case 3: mapping.limit = value
            case 4: mapping.offset = value
            case 5: file = StringRef(index: value, offset: offset)
            case 6: buildID = StringRef(index: value, offset: offset)
            case 7: mapping.hasFunctions = value != 0
            case 8: mapping.hasFilenames = value != 0
            case 9: mapping.hasLineNumbers = value != 0
            default: mapping.hasInlineFrames = value != 0
            }
        }
        mapping.file = try string(file, "mapping \(mapping.id) filename")
        mapping.buildID = try string(buildID, "mapping \(mapping.id) build_id")
        return mapping
    }

    func decodeFunction(_ range: Range<Int>) throws(ProfileError) -> Function {
        var reader = WireReader(bytes: bytes, range: range)
        var function = Function(id: 0)
        var name = StringRef(offset: range.lowerBound)
        var systemName = name, filename = name
        while !reader.isAtEnd {
            let offset = reader.position
            let (field, wire) = try reader.readTag()
            guard field <= 5 else {
                try reader.skip(wire)
                continue
            }
            let value = try Self.varint(&reader, wire, "Function field \(field)", at: offset)
            switch field {
            case 1: function.id = value
            case 2: name = StringRef(index: value, offset: offset)
            case 3: systemName = StringRef(index: value, offset: offset)
            case 4: filename = StringRef(index: value, offset: offset)
            default: function.startLine = Int64(bitPattern: value)
            }
        }
        function.name = try string(name, "function \(function.id) name")
        function.systemName = try string(systemName, "function \(function.id) system_name")
        function.filename = try string(filename, "function \(function.id) filename")
        return function
    }

    func decodeLocation(_ range: Range<Int>, mappings: IDTable, functions: IDTable) throws(ProfileError) -> Location {
        var reader = WireReader(bytes: bytes, range: range)
        var location = Location(id: 0)
        var mappingID: UInt64 = 0
        var mappingOffset = range.lowerBound
        // Function IDs are resolved after the loop, once the location's own ID is known.
        var lineFunctionIDs: [(id: UInt64, offset: Int)] = []
        while !reader.isAtEnd {
            let offset = reader.position
            let (field, wire) = try reader.readTag()
            switch field {
            case 1: location.id = try Self.varint(&reader, wire, "Location.id", at: offset)
            case 2:
                mappingID = try Self.varint(&reader, wire, "Location.mapping_id", at: offset)
                mappingOffset = offset
            case 3: location.address = try Self.varint(&reader, wire, "Location.address", at: offset)
            case 4:
                let lineRange = try Self.message(&reader, wire, "Location.line", at: offset)
                let (line, functionID) = try decodeLine(lineRange)
                location.lines.append(line)
                lineFunctionIDs.append((functionID, lineRange.lowerBound))
            case 5: location.isFolded = try Self.varint(&reader, wire, "Location.is_folded", at: offset) != 0
            default: try reader.skip(wire)
            }
        }
        if mappingID != 0 {
            guard let index = mappings.index(of: mappingID) else {
                throw ProfileError(.invalid, "location \(location.id) names mapping \(mappingID), which does not exist", offset: mappingOffset)
            }
            location.mapping = index
        }
        for (lineIndex, entry) in lineFunctionIDs.enumerated() where entry.id != 0 {
            guard let index = functions.index(of: entry.id) else {
                throw ProfileError(.invalid, "location \(location.id) line \(lineIndex) names function \(entry.id), which does not exist", offset: entry.offset)
            }
            location.lines[lineIndex].function = index
        }
        return location
    }

    private func decodeLine(_ range: Range<Int>) throws(ProfileError) -> (Line, functionID: UInt64) {
        var reader = WireReader(bytes: bytes, range: range)
        var line = Line(function: nil)
        var functionID: UInt64 = 0
        while !reader.isAtEnd {
            let offset = reader.position
            let (field, wire) = try reader.readTag()
            switch field {
            case 1: functionID = try Self.varint(&reader, wire, "Line.function_id", at: offset)
            case 2: line.line = Int64(bitPattern: try Self.varint(&reader, wire, "Line.line", at: offset))
            case 3: line.column = Int64(bitPattern: try Self.varint(&reader, wire, "Line.column", at: offset))
            default: try reader.skip(wire)
            }
        }
        return (line, functionID)
    }

    /// pprof's rule: a non-zero `str` makes a string label; otherwise a non-zero
    /// `num` or `num_unit` makes a numeric one; a label with neither is dropped.
    func decodeLabel(_ range: Range<Int>, sample: Int) throws(ProfileError) -> Label? {
        var reader = WireReader(bytes: bytes, range: range)
        var key = StringRef(offset: range.lowerBound), str = key, unit = key
        var num: Int64 = 0
        while !reader.isAtEnd {
            let offset = reader.position
            let (field, wire) = try reader.readTag()
            switch field {
            case 1: key = StringRef(index: try Self.varint(&reader, wire, "Label.key", at: offset), offset: offset)
            case 2: str = StringRef(index: try Self.varint(&reader, wire, "Label.str", at: offset), offset: offset)
            case 3: num = Int64(bitPattern: try Self.varint(&reader, wire, "Label.num", at: offset))
            case 4: unit = StringRef(index: try Self.varint(&reader, wire, "Label.num_unit", at: offset), offset: offset)
            default: try reader.skip(wire)
            }
        }
        let keyString = try string(key, "sample \(sample) label key")
        if str.index != 0 {
            return Label(key: keyString, value: .string(try string(str, "sample \(sample) label \(keyString)")))
        }
        if num != 0 || unit.index != 0 {
            return Label(key: keyString, value: .number(num, unit: try string(unit, "sample \(sample) label \(keyString) unit")))
        }
        return nil
    }
}
