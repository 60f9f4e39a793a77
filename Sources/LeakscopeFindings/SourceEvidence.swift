/// A static (lint) finding attached to a runtime finding in the same Go function:
/// `diagnose --source DIR` says "this function also has LS001 at worker.go:42:3".
public struct StaticEvidence: Sendable, Hashable, Codable {
    /// The lint check's ID (`LS001`).
    public var check: String
    /// The check's kebab-case name (`abandoned-send`).
    public var name: String
    /// The function the lint finding is in, as the runtime names it (`main.serve.func1`).
    public var function: String
    /// The file as the linter loaded it.
    public var file: String
    public var line: Int
    /// 1-based byte column, as go vet prints it.
    public var column: Int
    /// The lint message for this place.
    public var message: String
    /// The check's fix, one sentence.
    public var fix: String
    /// The lint finding's severity.
    public var severity: Finding.Severity

    public init(check: String, name: String, function: String, file: String, line: Int, column: Int, message: String,
                fix: String, severity: Finding.Severity) {
        self.check = check
        self.name = name
        self.function = function
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.fix = fix
        self.severity = severity
    }

    /// `LS001 at worker/pool.go:42:3 — message; fix: …` (the file shortened to two elements).
    public var line1: String {
        "\(check) at \(SourceSite.shortFile(file)):\(line):\(column) — \(message); fix: \(fix)"
    }
}

/// A runtime finding attached to a lint finding in the same Go function: `lint --capture DIR`
/// says "1,204 goroutines are blocked here in the capture".
public struct RuntimeEvidence: Sendable, Hashable, Codable {
    /// The runtime finding's kind, severity and score.
    public var kind: Finding.Kind
    public var severity: Finding.Severity
    public var score: Int
    /// The function the runtime finding names (`location.function`).
    public var function: String
    /// The runtime finding's title (what and how much).
    public var title: String
    /// Its numbers (`goroutines`, `inuse_space_bytes`, `cpu_percent` …).
    public var metrics: [Finding.Metric]
    /// The capture (directory or files) it came from.
    public var source: String

    public init(kind: Finding.Kind, severity: Finding.Severity, score: Int, function: String, title: String,
                metrics: [Finding.Metric], source: String) {
        self.kind = kind
        self.severity = severity
        self.score = score
        self.function = function
        self.title = title
        self.metrics = metrics
        self.source = source
    }

    /// `goroutine-leak (critical, score 90): title`.
    public var line1: String { "\(kind.rawValue) (\(severity.rawValue), score \(score)): \(title)" }
}
