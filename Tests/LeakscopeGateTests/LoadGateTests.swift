import Foundation
import Testing
import LeakscopeGateFormats
import LeakscopeTestSupport

/// `leakscope gate load` on real wrk and hey runs against Tests/Fixtures/go/gateserver on loopback.
@Suite(.serialized) struct LoadGateTests {
    /// Starts the server, runs `body` with its base URL, stops it.
    static func withServer<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let binary = try await GoFixtures.build("gateserver", toolchain: .current)
        let dir = TestPaths.scratch.appendingPathComponent("gateserver-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let server = try ChildProcess(binary.path, ["-out", dir.path])
        let addressFile = dir.appendingPathComponent("addr")
        var address: String?
        for _ in 0..<200 where address == nil {
            address = try? String(contentsOf: addressFile, encoding: .utf8)
            if address == nil { await pause(seconds: 0.05) }
        }
        guard let address else {
            await server.stop()
            throw GateFixtureError(description: "gateserver wrote no address")
        }
        do {
            let value = try await body("http://\(address)")
            await server.stop()
            return value
        } catch {
            await server.stop()
            throw error
        }
    }

    static func tool(_ name: String) throws -> String {
        guard let path = ProcessRunner.which(name) else {
            throw GateFixtureError(description: "\(name) not installed (apt-get install -y \(name))")
        }
        return path
    }

    @Test func wrkAndHeyAgainstAContract() async throws {
        let wrk = try Self.tool("wrk"), hey = try Self.tool("hey")
        let (wrkFast, wrkSlow, heySlow, heyFlaky, heyCSV) = try await Self.withServer { base in
            // wrk counts a request slower than its --timeout (2 s by default) as a socket error;
            // on a CI machine busy with the rest of the suite a 20 ms request can wait that long,
            // which is the runner's stall, not the server's answer.
            let fast = try await ProcessRunner.run(wrk, ["-t1", "-c4", "-d1s", "--timeout", "60s", "--latency", base + "/fast"], slot: .timed)
            let slow = try await ProcessRunner.run(wrk, ["-t1", "-c4", "-d1s", "--timeout", "60s", "--latency", base + "/slow"], slot: .timed)
            let heySlow = try await ProcessRunner.run(hey, ["-n", "100", "-c", "4", base + "/slow"], slot: .timed)
            let heyFlaky = try await ProcessRunner.run(hey, ["-n", "200", "-c", "4", base + "/flaky"], slot: .timed)
            let heyCSV = try await ProcessRunner.run(hey, ["-n", "100", "-c", "4", "-o", "csv", base + "/flaky"], slot: .timed)
            return (fast, slow, heySlow, heyFlaky, heyCSV)
        }
        for run in [wrkFast, wrkSlow, heySlow, heyFlaky, heyCSV] { #expect(run.succeeded, "\(run.summary)") }

        // hey -o csv: one row per request, the status in its own column.
        let csv = try #require(try LoadResult.parse(heyCSV.stdoutText, source: "hey.csv").first)
        #expect(csv.tool == "csv")
        #expect(csv.requests == 100)
        #expect(csv.errors == 50)
        let slowest = heyCSV.stdoutText.split(separator: "\n").dropFirst().compactMap { Double($0.split(separator: ",")[0]) }.max()
        #expect(csv.max == slowest)
        let files = try [("wrk-fast.txt", wrkFast), ("wrk-slow.txt", wrkSlow), ("hey-slow.txt", heySlow), ("hey-flaky.txt", heyFlaky)]
            .map { try GateFixtures.file($0.0, $0.1.stdoutText) }

        // The parsers read what the tools printed.
        let parsedWrk = try #require(try LoadResult.parse(wrkSlow.stdoutText, source: "wrk").first)
        #expect(parsedWrk.endpoint == "/slow")
        let requestsLine = try #require(wrkSlow.stdoutText.split(separator: "\n").first { $0.contains(" requests in ") })
        #expect(parsedWrk.requests == Int(requestsLine.split(separator: " ")[0]))
        #expect(Set(parsedWrk.percentiles.keys) == [50, 75, 90, 99])
        #expect((parsedWrk.percentiles[50] ?? 0) >= 0.020)  // the handler sleeps 20ms
        let parsedHey = try #require(try LoadResult.parse(heyFlaky.stdoutText, source: "hey").first)
        #expect(parsedHey.requests == 200)
        #expect(parsedHey.errors == 100)  // every other request answers 500
        #expect(Set(parsedHey.percentiles.keys) == [10, 25, 50, 75, 90, 95, 99])

        // A contract the slow endpoint breaks, and the hey run of /flaky breaks on errors.
        let contract = try GateFixtures.file("contract.yaml", """
            error-rate: 1%
            endpoints:
              /fast:
                p99: 60s
                throughput: 1
              /slow:
                p50: 5ms
              /flaky:
                error-rate: 10%
            """)
        let failing = try await LeakscopeBinary.run(["gate", "load", "--contract", contract, files[0], files[1]])
        #expect(failing.exitCode == 1, "\(failing.summary)\n\(failing.stdoutText)")
        #expect(failing.stdoutText.contains("/slow"))
        #expect(failing.stdoutText.contains("FAIL"))
        #expect(failing.stdoutText.contains("verdict: FAIL: 1 of"))

        let flaky = try await LeakscopeBinary.run(["gate", "load", "--format", "json", "--endpoint", "/flaky", "--contract", contract, files[3]])
        #expect(flaky.exitCode == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(flaky.stdout)) as? [String: Any])
        #expect(object["verdict"] as? String == "fail")
        let checks = try #require(object["results"] as? [[String: Any]])
        let errorCheck = try #require(checks.first { $0["metric"] as? String == "error-rate" })
        #expect(errorCheck["measured"] as? Double == 0.5)
        #expect(errorCheck["outcome"] as? String == "fail")

        // The fast endpoint alone meets its limits; the contract's other endpoints have no results,
        // which is inconclusive (exit 0, or 3 when asked), never a pass by omission.
        let passing = try await LeakscopeBinary.run(["gate", "load", "--contract", contract, files[0]])
        #expect(passing.exitCode == 0, "\(passing.stdoutText)")
        #expect(!passing.stdoutText.contains("FAIL"))
        #expect(passing.stdoutText.contains("/slow     results (limit 0): no result for this endpoint") || passing.stdoutText.contains("no result for this endpoint"))
        #expect(passing.stdoutText.contains("verdict: INCONCLUSIVE"))
        // hey's /slow run (no URL in its output) is named with --endpoint and combined with wrk's.
        let generous = try GateFixtures.file("generous.yaml", "p99: 120s\nerror-rate: 0.1%\n")
        let heyPass = try await LeakscopeBinary.run(["gate", "load", "--endpoint", "/slow", "--contract", generous, files[2], files[1]])
        #expect(heyPass.exitCode == 0, "\(heyPass.stdoutText)\nwrk:\n\(wrkSlow.stdoutText)\nhey:\n\(heySlow.stdoutText)")
        #expect(heyPass.stdoutText.contains("2"))  // two runs combined
    }

    @Test func openAPIContractAndOtherFormats() async throws {
        let openapi = try GateFixtures.file("api.yaml", """
            openapi: 3.0.3
            info: {title: items, version: "1"}
            paths:
              /items:
                get:
                  x-perf-slo: {p95: "200ms", error-rate: "0.1%"}
            """)
        // vegeta `report -type=json` (durations in ns) and a k6 --summary-export file (ms), written
        // to the tools' documented formats.
        let vegeta = try GateFixtures.file("vegeta.json", """
            {"latencies":{"total":1000000000,"mean":12000000,"50th":10000000,"90th":20000000,"95th":250000000,"99th":300000000,"max":400000000,"min":1000000},
             "requests":1000,"rate":100.0,"throughput":99.5,"success":0.999,"status_codes":{"200":999,"500":1},"errors":[]}
            """)
        let result = try await LeakscopeBinary.run(["gate", "load", "--endpoint", "/items", "--contract", openapi, vegeta])
        #expect(result.exitCode == 1, "\(result.summary)")
        #expect(result.stdoutText.contains("p95 250.0ms > 200.0ms"), "\(result.stdoutText)")
        #expect(result.stdoutText.contains("error-rate 0.1% ≤ 0.1%"))

        let k6 = try GateFixtures.file("k6.json", """
            {"root_group":{},"metrics":{"http_reqs":{"count":500,"rate":50.2},"http_req_failed":{"passes":0,"fails":500,"value":0},
             "http_req_duration":{"avg":12.5,"min":1,"med":10,"max":90,"p(90)":30,"p(95)":45},
             "http_req_duration{name:/items}":{"avg":12.5,"min":1,"med":10,"max":90,"p(90)":30,"p(95)":45,"thresholds":{"p(95)<200":false}}}}
            """)
        let k6Result = try await LeakscopeBinary.run(["gate", "load", "--format", "json", "--contract", openapi, k6])
        #expect(k6Result.exitCode == 0, "\(k6Result.stdoutText)")
        let k6Object = try #require(try JSONSerialization.jsonObject(with: Data(k6Result.stdout)) as? [String: Any])
        let k6Checks = try #require(k6Object["results"] as? [[String: Any]])
        let p95 = try #require(k6Checks.first { $0["metric"] as? String == "p95" })
        #expect(p95["outcome"] as? String == "pass" && p95["measured"] as? Double == 0.045)
        // A tagged k6 sub-metric carries no request counts: its error rate cannot be judged.
        #expect(k6Object["verdict"] as? String == "inconclusive")

        // wrk without --latency has no percentiles: inconclusive, exit 0, or 3 when asked.
        let noLatency = try GateFixtures.file("wrk.txt", """
            Running 1s test @ http://127.0.0.1:8080/items
              1 threads and 4 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency   635.91us    0.89ms  12.92ms   93.69%
                Req/Sec     5.62k   807.00     6.20k    86.54%
              5610 requests in 1.00s, 0.90MB read
            Requests/sec:   5608.12
            Transfer/sec:    921.33KB
            """)
        let inconclusive = try await LeakscopeBinary.run(["gate", "load", "--contract", openapi, noLatency])
        #expect(inconclusive.exitCode == 0)
        #expect(inconclusive.stdoutText.contains("run wrk with --latency"))
        let strict = try await LeakscopeBinary.run(["gate", "load", "--fail-on-inconclusive", "--contract", openapi, noLatency])
        #expect(strict.exitCode == 3)
    }

    @Test func contractErrorsNameLineAndField() async throws {
        let result = try GateFixtures.file("r.csv", "latency_ms\n1.5\n2.5\n")
        let badValue = try GateFixtures.file("bad.yaml", "p99: 100ms\nendpoints:\n  /a:\n    p95: fast\n")
        let one = try await LeakscopeBinary.run(["gate", "load", "--contract", badValue, result])
        #expect(one.exitCode == 2)
        #expect(one.stderrText == "leakscope: \(badValue):4: endpoints./a.p95: `fast` is not a duration (40ms, 1.5s)\n")
        let unknown = try GateFixtures.file("unknown.yaml", "p99: 100ms\nlatency: 5ms\n")
        let two = try await LeakscopeBinary.run(["gate", "load", "--contract", unknown, result])
        #expect(two.stderrText == "leakscope: \(unknown):2: latency: unknown limit (use p50…p99.9, error-rate, throughput)\n")
        let broken = try GateFixtures.file("broken.yaml", "p99: [100ms\n")
        let three = try await LeakscopeBinary.run(["gate", "load", "--contract", broken, result])
        #expect(three.exitCode == 2)
        #expect(three.stderrText.hasPrefix("leakscope: \(broken):"))
        #expect(three.stderrText.contains("not valid YAML"))
        let csvOK = try GateFixtures.file("ok.yaml", "p50: 3ms\n")
        let notResult = try GateFixtures.file("notes.txt", "hello\nworld\n")
        let four = try await LeakscopeBinary.run(["gate", "load", "--contract", csvOK, notResult])
        #expect(four.exitCode == 2)
        #expect(four.stderrText.hasPrefix("leakscope: \(notResult):1: not a load-test result"))
        let five = try await LeakscopeBinary.run(["gate", "load", "--contract", csvOK, result])
        #expect(five.exitCode == 0, "\(five.stdoutText)\(five.stderrText)")
        #expect(five.stdoutText.contains("p50 1.50ms ≤ 3.00ms"), "\(five.stdoutText)")
    }
}
