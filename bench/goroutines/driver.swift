// Benchmark driver: parse a goroutine dump and group it, printing phase times.
// Built by bench/goroutines.sh against the release objects of LeakscopeGoroutines.
import Foundation
import LeakscopeGoroutines

let path = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "-"
let clock = ContinuousClock()
let t0 = clock.now
let dump: GoroutineDump
do {
    dump = try GoroutineDump.read(path: path)
} catch {
    FileHandle.standardError.write("driver: \(error)\n".data(using: .utf8)!)
    exit(1)
}
let t1 = clock.now
let byStack = dump.buckets(by: .stack)
let bySite = dump.buckets(by: .blockingSite)
let byCreator = dump.buckets(by: .creationSite)
let tree = CreationTree(dump)
let t2 = clock.now
func ms(_ d: Duration) -> String { String(format: "%.1f", Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1000) }
print("goroutines \(dump.totalGoroutines) stacks \(dump.stacks.count) names \(dump.names.count) labelled \(dump.goroutines.filter { $0.labelSet != .none }.count) warnings \(dump.warningCount)")
print("buckets stack \(byStack.count) blockingSite \(bySite.count) creationSite \(byCreator.count) treeNodes \(tree.nodes.count)")
print("parse_ms \(ms(t1 - t0)) group_ms \(ms(t2 - t1)) total_ms \(ms(t2 - t0))")
