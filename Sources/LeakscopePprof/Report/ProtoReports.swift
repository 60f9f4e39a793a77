import LeakscopeBytes
import LeakscopeFormat
import LeakscopeProfile

/// `-proto` and `-topproto`: profiles written back as gzipped profile.proto.
enum ProtoReports {
    /// The filtered profile, values multiplied by `1 / -divide_by`.
    static func proto(_ prepared: PreparedProfile) throws -> [UInt8] {
        var p = prepared.profile
        let r = prepared.ratio
        if r > 0 && r != 1 {
            for i in p.samples.indices {
                for j in p.samples[i].values.indices {
                    p.samples[i].values[j] = MeasurementFormat.truncate(Double(p.samples[i].values[j]) * r)
                }
            }
        }
        return p.encodeGzipped()
    }

    /// The text report's nodes as a profile: one location per node, values cum and flat.
    static func topProtoProfile(_ prepared: PreparedProfile, options: PprofOptions) -> Profile {
        let graph = prepared.reportGraph(cumSort: options.sortByCum, dropNegative: options.dropNegative, needEdges: false)
        let unit = prepared.outputUnit(for: graph, requested: options.unit)
        let source = prepared.profile
        var out = Profile()
        out.sampleTypes = [ValueType(type: "cum", unit: unit), ValueType(type: "flat", unit: unit)]
        out.timeNanos = source.timeNanos
        out.durationNanos = source.durationNanos
        out.periodType = source.periodType
        out.period = source.period
        struct FunctionKey: Hashable { var name: Int32; var file: Int32; var startLine: Int64 }
        var functionIndex: [FunctionKey: Int] = [:]
        for (i, n) in graph.nodes.enumerated() {
            let info = graph.table.infos[n]
            let key = FunctionKey(name: info.name, file: info.file, startLine: info.startLine)
            let f: Int
            if let known = functionIndex[key] { f = known } else {
                f = out.functions.count
                functionIndex[key] = f
                out.functions.append(Function(id: UInt64(f + 1), name: graph.table.string(info.name),
                                              filename: graph.table.string(info.file), startLine: info.startLine))
            }
            out.locations.append(Location(id: UInt64(i + 1), address: info.address,
                                          lines: [Line(function: f, line: info.line, column: info.column)]))
            let flat = MeasurementUnits.scale(graph.weights.flatValue(n), from: prepared.sampleUnit, to: unit).value
            let cum = MeasurementUnits.scale(graph.weights.cumValue(n), from: prepared.sampleUnit, to: unit).value
            out.samples.append(Sample(locations: [i], values: [MeasurementFormat.truncate(cum), MeasurementFormat.truncate(flat)]))
        }
        return out
    }

    static func topProto(_ prepared: PreparedProfile, options: PprofOptions) throws -> [UInt8] {
        try topProtoProfile(prepared, options: options).encodeGzipped()
    }
}
