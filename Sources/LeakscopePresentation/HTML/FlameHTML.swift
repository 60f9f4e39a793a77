import LeakscopeProfile
import LeakscopeFlame
import LeakscopeFormat

/// Assembles the self-contained flame-graph page: markup, metadata JSON, the packed tree and
/// the page's script (`Assets/flame.css`, `Assets/flame.js`), which draws it with no fetches.
enum FlameHTML {
    /// `outputUnit` is pprof's `-unit` ("minimum", "auto" or a unit name), used for the totals
    /// in the header so they read exactly as `go tool pprof` prints them.
    /// `header` is markup placed before the page's own controls.
    /// `normalized` says the new profile was already scaled to the base's total (`-normalize`).
    static func page(_ model: FlameModel, sampleType: ValueType, outputUnit: String, title: String,
                     header: String = "", normalized: Bool = false) -> [UInt8] {
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
        meta.append(",\"normalized\":")
        meta.append(normalized ? "true" : "false")
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

        var page = HTMLPage(title: title, css: PageAssets.flameCSS)
        page.append(header)
        page.append(markup)
        page.appendData(id: "flame-meta", type: "application/json", meta.bytes)
        page.appendData(id: "flame-data", type: "application/octet-stream", FlameData.base64(compressed ?? blob))
        page.appendScript(PageAssets.flameJS)
        return page.finish()
    }

    /// The page's controls; `flame.js` fills in the title, summary and chart.
    static let markup = #"""
<header>
<h1 id="title"></h1><span id="summary"></span>
<div id="bar">
<button id="reset" title="Esc">Reset</button>
<input id="search" type="search" placeholder="Search (regexp), / to focus" spellcheck="false">
<span id="matched"></span>
<span id="legend" title="Differential flame graph: box widths are the new profile (or the base, with the checkbox); colour is each frame's change, (after − before) / max(after, before): deep blue = gone, grey = unchanged, deep red = new."><span>shrank</span><span class="grad"></span><span>grew</span>
<label><input type="checkbox" id="widthBase"> widths from base</label>
<label><input type="checkbox" id="normalize"> normalise base to new total</label></span>
<span id="crumb"></span>
<span id="help">click: zoom · shift-click: pivot (show callers) · right-click: menu · Esc: reset</span>
</div>
</header>
<div id="chart"><div id="status">Loading…</div><canvas id="canvas"></canvas></div>
<div id="tip"></div>

"""#
}