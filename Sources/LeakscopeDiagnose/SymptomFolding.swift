import LeakscopeFindings
import LeakscopeFormat

/// Folds findings that are consequences of a goroutine leak into it as evidence, so the first
/// finding is the cause and the list is short: heap held by goroutine stacks (`runtime.malg`)
/// and by the read/write buffers of HTTP client connections whose response bodies are never
/// closed (`bufio.NewReaderSize`/`NewWriterSize` under `net/http.(*Transport).dialConn`).
enum SymptomFolding {
    /// What a heap finding is a symptom of, judged from its stack's function names.
    enum Symptom {
        case goroutineStacks
        case connectionBuffers
    }

    static func symptom(of finding: Finding) -> Symptom? {
        guard finding.kind == .heapGrowth else { return nil }
        let functions = finding.evidence.stack.map { $0.prefix { $0 != " " } }
        if functions.contains("runtime.malg") { return .goroutineStacks }
        if functions.contains(where: { $0.hasPrefix("bufio.New") }),
           functions.contains(where: { $0.hasPrefix("net/http.(*Transport).dialConn") || $0.hasPrefix("net/http.(*persistConn)") }) {
            return .connectionBuffers
        }
        return nil
    }

    /// `findings` with heap symptoms of a goroutine-leak finding (warning or critical) merged into it.
    static func fold(_ findings: [Finding]) -> [Finding] {
        let leaks = findings.indices.filter { findings[$0].kind == .goroutineLeak && findings[$0].severity <= .warning }
        guard let top = leaks.max(by: { findings[$0].score < findings[$1].score }) else { return findings }
        // Connection buffers belong to the HTTP-client finding when there is one.
        let client = leaks.first { findings[$0].title.contains("HTTP") || findings[$0].hint.contains("resp.Body") }
        var result = findings
        var folded = Set<Int>()
        for (i, finding) in findings.enumerated() {
            guard let symptom = symptom(of: finding) else { continue }
            let target: Int
            switch symptom {
            case .goroutineStacks: target = top
            case .connectionBuffers:
                guard let client else { continue }
                target = client
            }
            let what = symptom == .goroutineStacks ? "goroutine stacks (runtime.malg)" : "buffers of the leaked connections"
            result[target].evidence.summary += " Symptom folded in: heap held by \(what) — \(finding.title)."
            result[target].evidence.sources += finding.evidence.sources.filter { !result[target].evidence.sources.contains($0) }
            folded.insert(i)
        }
        return result.enumerated().filter { !folded.contains($0.offset) }.map(\.element)
    }
}
