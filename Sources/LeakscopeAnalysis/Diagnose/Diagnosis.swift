import LeakscopeGoroutines
import LeakscopeProfile

/// `leakscope diagnose`'s engine: runs every analysis the inputs allow and ranks what they find.
/// Pure: the inputs carry their times; nothing here reads a clock, a file or the network.
public enum Diagnosis {
    public static func run(_ input: DiagnosisInput) -> DiagnosisReport {
        var findings: [Finding] = []
        var sections: [DiagnosisSection] = []
        var notes = input.notes

        if !input.goroutineDumps.isEmpty {
            let analysis = GoroutineAnalysis.analyze(input.goroutineDumps, leakProfiles: input.goroutineLeakProfiles)
            findings += GoroutineFindings.findings(analysis, leakProfileSeen: !input.goroutineLeakProfiles.isEmpty)
            sections.append(.goroutines(analysis, leakProfiles: input.goroutineLeakProfiles.count))
            if input.goroutineDumps.count == 1 {
                notes.append("one goroutine snapshot: leaks are judged without growth; give two or more for a trend")
            }
        } else if !input.goroutineLeakProfiles.isEmpty {
            let dumps = input.goroutineLeakProfiles.enumerated().map { TimedGoroutineDump(name: "goroutineleak #\($0.offset + 1)", dump: $0.element) }
            let analysis = GoroutineAnalysis.analyze(dumps)
            findings += GoroutineFindings.findings(analysis, leakProfileSeen: true)
            sections.append(.goroutines(analysis, leakProfiles: dumps.count))
        }
        return DiagnosisReport(target: input.target, inputs: input.inputs, findings: findings, sections: sections, notes: notes)
    }
}
