import LeakscopeProfile
import LeakscopeFlame
import LeakscopeFormat

/// Assembles the self-contained flame-graph page: template, metadata JSON and the packed tree.
enum FlameHTML {
    /// `outputUnit` is pprof's `-unit` ("minimum", "auto" or a unit name), used for the totals
    /// in the header so they read exactly as `go tool pprof` prints them.
    static func page(_ model: FlameModel, sampleType: ValueType, outputUnit: String, title: String) -> [UInt8] {
        let data = FlameData(model)
        let blob = data.blob
        let compressed = FlameData.deflate(blob)
        let totals = (value: model.tree.selfValue.reduce(0, &+), base: model.tree.selfBase.reduce(0, &+))

        var meta = ByteWriter()
        meta.append("{\"title\":")
        meta.appendJSONString(title)
        meta.append(",\"type\":")
        meta.appendJSONString(sampleType.type)
        meta.append(",\"unit\":")
        meta.appendJSONString(sampleType.unit)
        meta.append(",\"diff\":")
        meta.append(model.hasBase ? "true" : "false")
        meta.append(",\"total\":")
        meta.appendDecimal(totals.value)
        meta.append(",\"baseTotal\":")
        meta.appendDecimal(totals.base)
        meta.append(",\"totalLabel\":")
        meta.appendJSONString(MeasurementFormat.scaledLabel(totals.value, from: sampleType.unit, to: outputUnit))
        meta.append(",\"baseTotalLabel\":")
        meta.appendJSONString(MeasurementFormat.scaledLabel(totals.base, from: sampleType.unit, to: outputUnit))
        if outputUnit != "minimum" && outputUnit != "auto" {
            // -unit=X: the page shows every value in X, as pprof's reports would.
            let scaled = MeasurementUnits.scale(1_000_000_000, from: sampleType.unit, to: outputUnit)
            meta.append(",\"fixedUnit\":{\"factor\":")
            meta.append(String(scaled.value / 1e9))
            meta.append(",\"name\":")
            meta.appendJSONString(scaled.unit)
            meta.append(UInt8(ascii: "}"))
        }
        meta.append(",\"nodes\":")
        meta.appendDecimal(Int64(data.nodeCount))
        meta.append(",\"frames\":")
        meta.appendDecimal(Int64(model.table.count))
        meta.append(",\"sections\":[")
        for (i, length) in data.sectionLengths.enumerated() {
            if i > 0 { meta.append(UInt8(ascii: ",")) }
            meta.appendDecimal(Int64(length))
        }
        meta.append("],\"compressed\":")
        meta.append(compressed == nil ? "false" : "true")
        meta.append(UInt8(ascii: "}"))

        var out = ByteWriter()
        out.append(FlameTemplate.beforeTitle)
        out.append(escapeHTML(title))
        out.append(FlameTemplate.beforeMeta)
        out.append(contentsOf: meta.bytes)
        out.append(FlameTemplate.beforeData)
        out.append(contentsOf: FlameData.base64(compressed ?? blob))
        out.append(FlameTemplate.afterData)
        return out.bytes
    }

    static func escapeHTML(_ text: String) -> String { HTMLText.escape(text) }
}
