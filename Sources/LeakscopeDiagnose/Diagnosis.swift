import LeakscopeGoroutines
import LeakscopeProfile
import LeakscopeFindings
import LeakscopeGoSymbols
import LeakscopeGodebugAnalysis
import LeakscopeGoroutineAnalysis
import LeakscopeProfileAnalysis
import LeakscopeGodebug

/// `leakscope diagnose`'s engine: runs every analysis the inputs allow and ranks what they find.
/// Pure: the inputs carry their times; nothing here reads a clock, a file or the network.
public enum Diagnosis {
    public static func run(_ input: DiagnosisInput) -> DiagnosisReport {
        var findings: [Finding] = []
        var sections: [DiagnosisSection] = []
        var notes = input.notes

        if !input.goroutineDumps.isEmpty {
            let analysis = GoroutineAnalysis.analyze(input.goroutineDumps, leakProfiles: input.goroutineLeakProfiles)
            findings += GoroutineFindings.findings(analysis, leakProfileSeen: input.leakProfilesRead > 0) {
                HTTPClientCallers.find(in: analysis.buckets, profiles: input)
            }
            sections.append(.goroutines(analysis, leakProfiles: input.leakProfilesRead))
            if input.goroutineDumps.count == 1 {
                notes.append("one goroutine snapshot: leaks are judged without growth; give two or more for a trend")
            }
        } else if !input.goroutineLeakProfiles.isEmpty {
            let dumps = input.goroutineLeakProfiles.enumerated().map { TimedGoroutineDump(name: "goroutineleak #\($0.offset + 1)", dump: $0.element) }
            let analysis = GoroutineAnalysis.analyze(dumps)
            findings += GoroutineFindings.findings(analysis, leakProfileSeen: true) {
                HTTPClientCallers.find(in: [], profiles: input)
            }
            sections.append(.goroutines(analysis, leakProfiles: dumps.count))
        }
        // Execution traces: goroutine lifecycles confirm or clear the snapshots' suspicions.
        var traces: [DiagnosisTrace]? = nil
        if !input.traces.isEmpty {
            traces = TraceEvidence.apply(input.traces, to: &findings, notes: &notes)
        }
        // Heap snapshots; an allocs profile holds the same in-use data when no heap was given.
        let heapSnapshots = input.heapProfiles.isEmpty ? input.allocsProfiles : input.heapProfiles
        if !heapSnapshots.isEmpty {
            let heap = HeapGrowthAnalysis.analyze(heapSnapshots)
            findings += heap.findings
            sections.append(.heap(heap))
            if heapSnapshots.count == 1 {
                notes.append("one heap snapshot: growth needs two or more (three for a trend)")
            }
        }
        // Several CPU profiles are several windows of one process: analysed as one, merged.
        if !input.cpuProfiles.isEmpty {
            let cpu = CPUAnalysis.analyze(input.cpuProfiles)
            findings += cpu.findings
            sections.append(.cpu(cpu))
        }
        if !input.mutexProfiles.isEmpty || !input.blockProfiles.isEmpty {
            let contention = ContentionAnalysis.analyze(mutex: input.mutexProfiles, block: input.blockProfiles)
            findings += contention.findings
            sections.append(.contention(contention))
        }
        // GODEBUG logs: their findings cannot name code, so where a profile found the same kind
        // of problem with a location, the log's reading joins that finding as evidence.
        for log in input.runtimeLogs {
            let trace: RuntimeTrace
            do {
                trace = try RuntimeLog.parse(log.bytes, source: log.name)
            } catch {
                notes.append("\(error)")
                continue
            }
            let summary = RuntimeSummary(trace, source: log.name)
            sections.append(.runtime(summary))
            for finding in summary.findings {
                if finding.severity != .info,
                   let i = findings.firstIndex(where: { $0.kind == finding.kind && $0.location != nil }) {
                    findings[i].evidence.summary += " The GODEBUG log agrees: \(finding.title)."
                    findings[i].evidence.sources.append(log.name)
                } else {
                    findings.append(finding)
                }
            }
        }
        findings = SymptomFolding.fold(findings)
        // A finding that cannot name application code is less actionable than one that can:
        // it may alarm, but never as critical.
        for i in findings.indices where findings[i].severity == .critical {
            if findings[i].location.map({ !ApplicationCode.isApplication($0.function) }) ?? true {
                findings[i].severity = .warning
            }
        }
        // Lint findings in the same functions: the code shows the pattern the runtime caught.
        var staticOnly: [StaticEvidence]? = nil
        if let source = input.source {
            let unmatched = SourceJoin.attach(source.findings, to: &findings)
            staticOnly = unmatched
            notes.append(SourceJoin.note(source: source.name, files: source.files, statics: source.findings.count,
                                         staticOnly: unmatched.count))
        }
        var report = DiagnosisReport(target: input.target, inputs: input.inputs, findings: findings, sections: sections, notes: notes)
        report.staticOnly = staticOnly
        report.traces = traces
        return report
    }
}
