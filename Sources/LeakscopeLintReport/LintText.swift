import LeakscopeLint

/// go vet–style lines: `file:line:col: message (LS001)`, in file and line order. With
/// `--capture`, each runtime finding in the same function follows on a tab-indented `runtime:` line.
public enum LintText {
    public static func render(_ findings: [LintFinding], explain: Bool = false) -> String {
        var out = ""
        for finding in findings.sorted(by: LintFinding.ordered) {
            out += "\(finding.file):\(finding.line):\(finding.column): \(finding.message) (\(finding.check.id))\n"
            for evidence in finding.runtimeEvidence { out += "\truntime: \(evidence.line1) [\(evidence.source)]\n" }
            if explain {
                out += "\tfix: \(finding.check.fix)\n"
                if let note = finding.confidenceNote { out += "\tconfidence: low (\(note))\n" }
                for related in finding.related { out += "\t\(related)\n" }
            }
        }
        return out
    }
}
