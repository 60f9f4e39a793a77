extension RuntimeSummary {
    /// "812 lines: 40 GC cycles (3 forced), 17 schedtrace samples, …".
    public var lineSummary: String {
        var parts: [String] = []
        if gcTotals.cycles > 0 {
            parts.append("\(gcTotals.cycles) GC cycle\(gcTotals.cycles == 1 ? "" : "s")"
                         + (gcTotals.forced > 0 ? " (\(gcTotals.forced) forced)" : ""))
        }
        if lines.schedSamples > 0 { parts.append("\(lines.schedSamples) schedtrace samples") }
        if lines.scavenger > 0 { parts.append("\(lines.scavenger) scavenger lines") }
        if lines.schedDetail > 0 { parts.append("\(lines.schedDetail) scheddetail lines") }
        if lines.scanStatistics > 0 { parts.append("\(lines.scanStatistics) gctrace=2 scan lines") }
        if lines.periodicGCForced > 0 { parts.append("\(lines.periodicGCForced) 'GC forced'") }
        parts.append("\(lines.ignored) other lines")
        if lines.malformed > 0 { parts.append("\(lines.malformed) cut or torn runtime line\(lines.malformed == 1 ? "" : "s")") }
        if lines.overlong > 0 { parts.append("\(lines.overlong) overlong") }
        if lines.droppedSamples > 0 { parts.append("\(lines.droppedSamples) samples thinned out") }
        return "\(lines.total) lines: " + parts.joined(separator: ", ")
    }
}
