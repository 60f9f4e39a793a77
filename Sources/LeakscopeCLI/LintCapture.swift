import ArgumentParser
import LeakscopeBytes
import LeakscopeDiagnose
import LeakscopeLint

/// `lint --capture DIR`: diagnoses the capture as `diagnose DIR` would and attaches, to each lint
/// finding, the runtime findings in the same Go function (or, without one, the goroutines waiting
/// in it at the last snapshot, as an info-level observation).
enum LintCapture {
    /// `findings` with their runtime evidence; an unreadable capture prints one line and exits 2.
    static func annotate(_ findings: [LintFinding], capture: String) throws -> [LintFinding] {
        let input: DiagnosisInput
        do {
            input = try DiagnoseInputs.load([capture])
        } catch {
            printError("leakscope lint: --capture \(error.message)")
            throw ExitCode(2)
        }
        let report = Diagnosis.run(input)
        let last = input.goroutineDumps.last?.dump ?? input.goroutineLeakProfiles.last
        let waiting = last.map(SourceJoin.waiting(in:)) ?? [:]
        return findings.map { finding in
            var annotated = finding
            annotated.runtimeEvidence = SourceJoin.runtime(for: finding.staticEvidence, in: report.findings, source: capture,
                                                           waiting: waiting)
            return annotated
        }
    }
}
