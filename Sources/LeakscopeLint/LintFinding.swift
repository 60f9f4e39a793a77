import LeakscopeFindings

/// How sure a check is that a finding holds something at run time. Most shapes are `high`; a
/// shape whose first-pass findings on unseen code were (nearly) all false is `low` and is shown
/// only on request (`lint --confidence low`, config `confidence: low`); docs/LINT.md lists them
/// with the record behind each.
public enum Confidence: String, Sendable, Hashable, CaseIterable, Comparable {
    case low, high

    public static func < (a: Confidence, b: Confidence) -> Bool { a == .low && b == .high }
}

/// One place where a check fired.
public struct LintFinding: Sendable, Hashable {
    /// The check that fired.
    public var check: Check
    /// The message, specific to this place (names the variable or channel).
    public var message: String
    /// File path as loaded.
    public var file: String
    public var line: Int
    /// 1-based byte column, as go vet prints it.
    public var column: Int
    /// The enclosing function as the runtime names it (`main.(*cache).store`, `pkg.f.func1`).
    public var function: String
    /// The source line, for SARIF fingerprints and context.
    public var lineText: String
    /// Further places that explain the finding (`file:line: text`).
    public var related: [String]
    /// Runtime findings in the same function, when `lint --capture` gave a capture.
    public var runtimeEvidence: [RuntimeEvidence] = []
    /// `low` for the shapes listed in docs/LINT.md (*Confidence*), with `confidenceNote` saying why.
    public var confidence: Confidence = .high
    /// Why a `low` finding may hold nothing (nil for `high`).
    public var confidenceNote: String?
    /// Set while linting: the finding is `low`, with this note, if `RunsOnce` finds its function
    /// runs once per process (known only when every package is seen; `LintSession.finish`).
    var pendingOnce: PendingOnce? = nil

    /// Set while linting: the finding is `low`, with this note, if every one of `makers`, other
    /// packages' functions (`path.Name`), makes clients with a Timeout (`LintSession.finish`).
    var pendingMakers: PendingMakers? = nil

    /// Set while linting: the `RunsOnce` node of the function every leaking path of which returns
    /// a non-nil error; the finding is `low` if that error ends the process (`ErrorExits`).
    var pendingErrorExit: Int? = nil
    /// `pendingErrorExit` for a function of a test file, by runtime name (`LintSession.add`).
    var pendingErrorExitTest: String? = nil
    /// Set while linting: the `RunsOnce` node of the declared function the finding's code is
    /// written in; the finding is `low` if nothing calls that function (`RunsOnce.unreferenced`).
    var pendingUnreferenced: Int? = nil

    struct PendingOnce: Sendable, Hashable {
        var node: Int
        var note: String
        /// `low` only when the function's return ends the process (`RunsOnce.endsProcess`), not
        /// merely when it runs once: what it leaves behind outlives a return the process survives.
        var onlyAtProcessEnd = false
    }

    struct PendingMakers: Sendable, Hashable {
        var makers: Set<String>
        var note: String
    }

    /// The finding in the shared model (kind, severity, score, title, location, evidence, hint).
    public var finding: Finding {
        Finding(kind: check.kind, severity: check.severity, score: check.score,
                title: "\(message) (\(check.id))",
                location: SourceSite(function: function, file: file, line: line),
                evidence: Finding.Evidence(summary: check.rationale, stack: ["\(function) (\(file):\(line))"] + related,
                                           sources: [file]),
                hint: check.fix)
            .with(runtimeEvidence: runtimeEvidence)
    }

    /// The finding as evidence to attach to a runtime finding in the same function.
    public var staticEvidence: StaticEvidence {
        StaticEvidence(check: check.id, name: check.name, function: function, file: file, line: line, column: column,
                       message: message, fix: check.fix, severity: check.severity)
    }

    /// Order: file, line, column, check.
    public static func ordered(_ a: LintFinding, _ b: LintFinding) -> Bool {
        if a.file != b.file { return a.file < b.file }
        if a.line != b.line { return a.line < b.line }
        if a.column != b.column { return a.column < b.column }
        return a.check.id < b.check.id
    }
}

extension Finding {
    fileprivate func with(runtimeEvidence: [RuntimeEvidence]) -> Finding {
        var copy = self
        copy.runtimeEvidence = runtimeEvidence.isEmpty ? nil : runtimeEvidence
        return copy
    }
}
