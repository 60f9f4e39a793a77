import Foundation
import Testing
import LeakscopeWatch
import LeakscopeTestSupport
import AsyncHTTPClient
import NIOCore
import LeakscopeCollect

/// Silences: matchers, the config block, and end to end — a silenced alert is stored and shown but
/// never reaches a real Alertmanager, while the same leak on an unsilenced target does; silences
/// added and ended through the API.
@Suite(.serialized) struct WatchSilenceTests {
    @Test func matchersAreExactOrWholeRegexWithinTheWindow() {
        let silence = Silence(matchers: ["service": "api", "alertname": "~Goroutine.*"], startsAt: 100, endsAt: 200)
        let labels = ["service": "api", "alertname": "GoroutineLeak", "target": "http://a:6060", "severity": "critical"]
        #expect(silence.matches(labels, at: 150))
        #expect(!silence.matches(labels, at: 99) && !silence.matches(labels, at: 200))
        #expect(!silence.matches(labels.merging(["service": "api-2"]) { $1 }, at: 150))
        #expect(!silence.matches(labels.merging(["alertname": "HeapGrowth"]) { $1 }, at: 150))
        // Whole-string: the regex must cover the value, not a part of it.
        #expect(!silence.matches(labels.merging(["alertname": "XGoroutineLeak"]) { $1 }, at: 150))
        var missing = labels
        missing["service"] = nil
        #expect(!silence.matches(missing, at: 150))
        #expect(Silence.problem(matchers: [:], startsAt: 0, endsAt: 1) != nil)
        #expect(Silence.problem(matchers: ["a": "~("], startsAt: 0, endsAt: 1)?.contains("regular expression") == true)
        #expect(Silence.problem(matchers: ["a": "b"], startsAt: 2, endsAt: 1) == "ends must be after starts")
    }

    @Test func configSilencesAreReadAndCheckedWithLineAndField() throws {
        let config = try WatchConfigParser.parse("""
        silences:
          - matchers: {service: payments, alertname: "~Heap.*"}
            starts: 2026-12-03T08:00:00Z
            ends: 2026-12-03T20:00:00.5Z
            comment: deploy window
        """, file: "watch.yaml")
        #expect(config.silences == [Silence(matchers: ["service": "payments", "alertname": "~Heap.*"], startsAt: 1_796_284_800,
                                            endsAt: 1_796_328_000.5, comment: "deploy window", createdBy: "config")])
        let cases: [(String, String)] = [
            ("silences:\n  - matchers: {service: a}\n", "watch.yaml:2: silences[0].ends: a silence needs an end time"),
            ("silences:\n  - matchers: {service: a}\n    ends: tomorrow\n", "watch.yaml:3: silences[0].ends: expected an RFC 3339 time"),
            ("silences:\n  - ends: 2026-12-03T20:00:00Z\n", "watch.yaml:2: silences[0]: give at least one matcher"),
            ("silences:\n  - matchers: {1x: a}\n    ends: 2026-12-03T20:00:00Z\n", "watch.yaml:2: silences[0].matchers.1x:"),
        ]
        for (text, expected) in cases {
            do {
                _ = try WatchConfigParser.parse(text, file: "watch.yaml")
                Issue.record("no error for \(text)")
            } catch {
                #expect(error.description.hasPrefix(expected), "\(error.description)")
            }
        }
    }

    @Test func silencedAlertIsRecordedButNotSentToAlertmanager() async throws {
        let fleet = try await GoFixtures.build("watchfleet", toolchain: .current)
        _ = try LeakscopeBinary.path()
        try await ChildSlots.shared.withSlots(for: .timed) {
            let (alertmanager, amURL) = try await WatchHarness.startAlertmanager()
            defer { alertmanager.signal(SIGKILL) }
            // Two identical leaks: 300 goroutines/s from 3 s on.
            let (leaks, urls) = try await WatchHarness.startFleet(fleet, ["-leak-after", "3s", "-leak-rate", "300", "-fleet", "2"],
                                                                 listeners: 2)
            defer { leaks.signal(SIGKILL) }
            let (silencedURL, loudURL) = (urls[0], urls[1])
            let dir = try WatchHarness.folder("watch-silence")
            let config = try WatchHarness.config(in: dir, """
            interval: 250ms
            alertmanager: {url: \(amURL)}
            capture: {enabled: false}
            silences:
              - matchers: {service: quiet}
                ends: 2099-01-01T00:00:00Z
                comment: known leak, fix deploying
            targets:
              - {url: \(silencedURL), labels: {service: quiet}}
              - {url: \(loudURL), labels: {service: loud}}
            """)
            let (watch, api) = try await WatchHarness.startWatch(config: config)
            defer { watch.signal(SIGKILL) }

            // Both leaks fire and are stored; only the silenced one is marked.
            let alerts = try await WatchHarness.waitFor("alerts on both targets", seconds: 60) { () -> [[String: Any]]? in
                let alerts = try await WatchHarness.list(api, "/api/v1/alerts", "alerts")
                let targets = Set(alerts.compactMap { $0["target"] as? String })
                return targets.isSuperset(of: [silencedURL, loudURL]) ? alerts : nil
            }
            for alert in alerts where alert["target"] as? String == silencedURL {
                #expect(alert["silenced"] as? Bool == true, "\(alert)")
            }
            for alert in alerts where alert["target"] as? String == loudURL {
                #expect(alert["silenced"] == nil, "\(alert)")
            }
            // Alertmanager has the loud one; give the silenced one as long again to (wrongly) arrive.
            func received() async throws -> Set<String> {
                let response = try await WatchHarness.get(amURL + "/api/v2/alerts")
                let alerts = (try response.json() as? [[String: Any]]) ?? []
                return Set(alerts.compactMap { ($0["labels"] as? [String: String])?["target"] })
            }
            _ = try await WatchHarness.waitFor("the unsilenced alert in Alertmanager", seconds: 30) { () -> Bool? in
                try await received().contains(loudURL) ? true : nil
            }
            await pause(seconds: 3)
            #expect(try await received() == [loudURL])

            // A silence through the API covers the loud target too; ending it lifts it.
            let post = try await WatchHarness.post(api + "/api/v1/silences", json: """
                {"matchers": {"target": "\(loudURL)"}, "endsAt": "2099-01-01T00:00:00Z", "comment": "api", "createdBy": "test"}
                """)
            #expect(post.status == 200, "\(post.text)")
            let id = ((try post.json() as? [String: Any])?["id"] as? Int) ?? -1
            let listed = try await WatchHarness.list(api, "/api/v1/silences", "silences")
            #expect(listed.map { $0["source"] as? String } == ["config", "api"])
            #expect(listed.last?["id"] as? Int == id && listed.last?["active"] as? Bool == true)
            _ = try await WatchHarness.waitFor("the loud alert marked silenced", seconds: 30) { () -> Bool? in
                let alerts = try await WatchHarness.list(api, "/api/v1/alerts", "alerts")
                return alerts.contains { $0["target"] as? String == loudURL && $0["silenced"] as? Bool == true } ? true : nil
            }
            let bad = try await WatchHarness.post(api + "/api/v1/silences", json: #"{"matchers": {}, "endsAt": "2099-01-01T00:00:00Z"}"#)
            #expect(bad.status == 400)
            let deleted = try await WatchHarness.delete(api + "/api/v1/silences/\(id)")
            #expect(deleted.status == 200)
            #expect(try await WatchHarness.delete(api + "/api/v1/silences/999999").status == 404)
            let after = try await WatchHarness.list(api, "/api/v1/silences", "silences")
            #expect(after.map { $0["source"] as? String } == ["config"])
            watch.signal(SIGTERM)
            #expect(await watch.exitCode() == 0)
        }
    }
}

extension WatchHarness {
    static func post(_ url: String, json: String) async throws -> Response {
        try await send(url, delete: false, body: json)
    }

    static func delete(_ url: String) async throws -> Response {
        try await send(url, delete: true, body: nil)
    }

    static func send(_ url: String, delete: Bool, body: String?) async throws -> Response {
        let client = HTTPClients.shared.client(.init(verifyCertificates: true, caFile: nil, connectMilliseconds: 2000))
        var request = HTTPClientRequest(url: url)
        request.method = delete ? .DELETE : .POST
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: .seconds(10))
        var bytes: [UInt8] = []
        for try await buffer in response.body { buffer.withUnsafeReadableBytes { bytes.append(contentsOf: $0) } }
        return Response(status: Int(response.status.code), contentType: response.headers.first(name: "content-type"), body: bytes)
    }
}
