import Foundation
import Testing
@testable import LeakscopeWatch
import LeakscopeCollect
import LeakscopeTestSupport

/// The poll's cheap readers against what a real Go service serves: the index page's goroutine row,
/// the heap?debug=1 MemStats trailer, and Prometheus text.
struct WatchPollParsingTests {
    @Test func readersAgreeWithARealGoService() async throws {
        let fleet = try await GoFixtures.build("watchfleet", toolchain: .current)
        let (service, urls) = try await WatchHarness.startFleet(fleet, ["-metrics", "-leak-after", "1ms", "-leak-rate", "1000", "-leak-stop-after", "300ms"])
        defer { service.signal(SIGKILL) }
        // The leak runs 300 ms at 1,000/s; on a loaded runner it starts late, so wait until the count
        // has grown and stopped moving.
        var previous = -1
        _ = try await WatchHarness.waitFor("the leak to run and stop", seconds: 30) { () -> Bool? in
            let count = IndexGoroutines.count(try await WatchHarness.get(urls[0] + "/debug/pprof/").body) ?? -1
            defer { previous = count }
            return count > 100 && abs(count - previous) <= 2 ? true : nil
        }
        let index = try await WatchHarness.get(urls[0] + "/debug/pprof/")
        let heap = try await WatchHarness.get(urls[0] + "/debug/pprof/heap?debug=1")
        let metrics = try await WatchHarness.get(urls[0] + "/metrics")
        let debug1 = try await WatchHarness.get(urls[0] + "/debug/pprof/goroutine?debug=1")

        // The fast row reader and Collect's full index parser read the same count, which matches
        // goroutine?debug=1's header (the leak stopped, so the count is still).
        let fast = IndexGoroutines.count(index.body)
        #expect(fast != nil && fast == PprofIndex.parse(index.body)?.goroutineCount)
        // (each request may add or end a connection goroutine: equal within two).
        let header = debug1.text.split(separator: "\n").first.map(String.init) ?? ""
        #expect(header.hasPrefix("goroutine profile: total "))
        let total = Int(header.dropFirst("goroutine profile: total ".count)) ?? -100
        #expect(abs(total - (fast ?? -1)) <= 2, "\(header) vs \(fast ?? -1)")
        #expect((fast ?? 0) > 100)

        // The trailer's values are the lines Go printed.
        let values = Dictionary(MemStatsTrailer.values(heap.body), uniquingKeysWith: { a, _ in a })
        for (key, name) in [("HeapInuse", "heap_inuse_bytes"), ("HeapAlloc", "heap_alloc_bytes"), ("GCCPUFraction", "gc_cpu_fraction")] {
            let line = heap.text.split(separator: "\n").first { $0.hasPrefix("# \(key) = ") }
            #expect(line != nil)
            #expect(values[name] == line.flatMap { Double($0.dropFirst("# \(key) = ".count)) }, "\(key)")
        }
        #expect(MemStatsTrailer.values(Array("heap profile: 0: 0 [0: 0] @ heap/1048576\n".utf8)).isEmpty)

        // Prometheus text: the names asked for, unlabelled samples first.
        let parsed = PrometheusText.values(metrics.body, names: ["go_goroutines", "go_memstats_heap_inuse_bytes"])
        #expect(abs((parsed["go_goroutines"] ?? -100) - Double(fast ?? -1)) <= 2)
        #expect((parsed["go_memstats_heap_inuse_bytes"] ?? 0) > 0)
        let labelled = PrometheusText.values(Array("""
            # HELP x y
            x{a="1}\\"",b="2"} 3
            x 4 1700000000000
            y{l="v"} NaN
            """.utf8), names: ["x", "y"])
        #expect(labelled["x"] == 4)
        #expect(labelled["y"]?.isNaN == true)
    }
}
