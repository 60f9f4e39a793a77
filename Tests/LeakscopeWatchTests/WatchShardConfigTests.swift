import Foundation
import Testing
import LeakscopeWatch

/// The PostgreSQL store's config (`store: postgres://…`, `shard:`, `downsample:`) and the rendezvous
/// hash that splits a fleet between watchers.
struct WatchShardConfigTests {
    func error(_ text: String) -> ConfigError? {
        do {
            _ = try WatchConfigParser.parse(text, file: "watch.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test func postgresStoreShardAndDownsampleKeysAreRead() throws {
        let config = try WatchConfigParser.parse("""
        interval: 10s
        store: postgres://watch:s%40cret@db.internal:6432/leakscope?sslmode=verify-full&sslrootcert=/etc/ca.pem
        shard: {id: watch-a, lease: 45s}
        downsample: {after: 12h, step: 1m}
        targets: [http://127.0.0.1:6060]
        """, file: "watch.yaml")
        #expect(config.store == .postgres(url: "postgres://watch:s%40cret@db.internal:6432/leakscope?sslmode=verify-full&sslrootcert=/etc/ca.pem"))
        #expect(config.shard.id == "watch-a" && config.shard.lease(interval: config.interval) == 45)
        #expect(config.downsample.afterSeconds == 12 * 3600 && config.downsample.stepSeconds == 60)
        let dsn = try PostgresDSN("postgres://watch:s%40cret@db.internal:6432/leakscope?sslmode=verify-full&sslrootcert=/etc/ca.pem")
        #expect(dsn.user == "watch" && dsn.password == "s@cret" && dsn.host == "db.internal" && dsn.port == 6432)
        #expect(dsn.database == "leakscope" && dsn.tls == .verifyFull && dsn.rootCertificate == "/etc/ca.pem")
        #expect(dsn.display == "db.internal:6432/leakscope")
    }

    @Test func defaults() throws {
        let config = try WatchConfigParser.parse("interval: 2s\n", file: "watch.yaml")
        #expect(config.shard.id == nil && config.shard.lease(interval: 2) == 6)
        #expect(config.shard.lease(interval: 0.5) == 5)
        #expect(config.downsample.afterSeconds == 48 * 3600 && config.downsample.stepSeconds == 300)
        let dsn = try PostgresDSN("postgresql://u@[::1]/db", environment: ["PGPASSWORD": "from-env"])
        #expect(dsn.host == "::1" && dsn.port == 5432 && dsn.password == "from-env" && dsn.tls == .prefer)
    }

    @Test func badValuesNameTheLineAndField() {
        let cases: [(String, String)] = [
            ("targets: []\nstore: postgres://u:p@h/db?sslmode=sometimes\n",
             "watch.yaml:2: store: sslmode must be disable, prefer, require or verify-full, not 'sometimes'"),
            ("store: postgres://u:p@h:5432\n", "watch.yaml:1: store: the PostgreSQL URL names no database"),
            ("store: postgres://u:p@h/db?timeout=3\n", "watch.yaml:1: store: unknown PostgreSQL URL parameter 'timeout'"),
            ("store: mysql://u:p@h/db\n", "watch.yaml:1: store: expected sqlite:PATH or a postgres:// URL"),
            ("shard: {lease: soon}\n", "watch.yaml:1: shard.lease:"),
            ("shard: {owner: a}\n", "watch.yaml:1: shard"),
            ("downsample: {step: 0s}\n", "watch.yaml:1: downsample.step:"),
        ]
        for (text, expected) in cases {
            let description = error(text)?.description ?? "no error"
            #expect(description.hasPrefix(expected), "\(text): \(description)")
            #expect(!description.contains("\n"))
        }
    }

    @Test func rendezvousSpreadsTargetsAndMovesOnlyTheLeaversShare() {
        let targets = (0..<3000).map { "http://10.1.\($0 / 250).\($0 % 250):6060" }
        let three = ["watch-a", "watch-b", "watch-c"]
        var shares: [String: [String]] = [:]
        for target in targets { shares[Rendezvous.owner(of: target, among: three)!, default: []].append(target) }
        for member in three {
            // 1,000 expected each; a fair hash stays within ±10 %.
            #expect((900...1100).contains(shares[member]?.count ?? 0), "\(member): \(shares[member]?.count ?? 0)")
        }
        // watch-b leaves: only its targets move, spread over the two others.
        let two = ["watch-a", "watch-c"]
        for target in targets {
            let before = Rendezvous.owner(of: target, among: three)!
            let after = Rendezvous.owner(of: target, among: two)!
            if before != "watch-b" { #expect(after == before) }
        }
        // The answer does not depend on the members' order.
        #expect(targets.allSatisfy { Rendezvous.owner(of: $0, among: three) == Rendezvous.owner(of: $0, among: three.reversed()) })
    }
}
