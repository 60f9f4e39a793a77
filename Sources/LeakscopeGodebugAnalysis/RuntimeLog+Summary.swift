import LeakscopeGodebug

extension RuntimeLog {
    /// Parses and summarises in one step: what `leakscope diagnose` needs for a log file it was given.
    public static func summarize(_ bytes: [UInt8], source: String) throws(RuntimeLogError) -> RuntimeSummary {
        RuntimeSummary(try parse(bytes, source: source), source: source)
    }
}
