import Foundation
import LeakscopeLifecycle

/// The `leakscope trace --format json` document: `findings`, `goroutines` {created, ended, alive,
/// preExisting}, `sites` [{function, file, line, entry, created, ended, alive, …}] and the trace's
/// window, generation and event counts (docs/TRACE.md).
public enum TraceJSON {
    public static func render(_ report: LifecycleReport) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Every field is a plain value; encoding cannot fail.
        return (try? encoder.encode(report)) ?? Data("{}".utf8)
    }
}
