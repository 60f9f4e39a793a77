import Foundation
import LeakscopeTestSupport

/// The real PostgreSQL server the store tests use: `.ci/run` installs Debian's `postgresql`, starts
/// it, and creates the role `leakscope` (password `leakscope`, CREATEDB). Each test makes its own
/// database with `psql` and drops it at the end. `LEAKSCOPE_TEST_POSTGRES` overrides the server URL.
enum PostgresHarness {
    /// `postgres://USER:PASSWORD@HOST:PORT` (no database).
    static var server: String {
        ProcessInfo.processInfo.environment["LEAKSCOPE_TEST_POSTGRES"] ?? "postgres://leakscope:leakscope@127.0.0.1:5432"
    }

    static func psql() throws -> String {
        guard let psql = ProcessRunner.which("psql") else {
            throw WatchHarness.Failure(description: "psql is not installed (apt-get install postgresql; see .ci/run)")
        }
        return psql
    }

    /// Creates a new empty database; returns its URL.
    static func createDatabase(_ prefix: String) async throws -> String {
        let name = "ls_\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
        _ = try await query(database: "postgres", "CREATE DATABASE \(name)")
        return "\(server)/\(name)?sslmode=disable"
    }

    static func dropDatabase(_ url: String) async {
        guard let name = url.split(separator: "/").last?.split(separator: "?").first else { return }
        _ = try? await query(database: "postgres", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Runs `sql` with `psql -At` (unaligned, tuples only); returns its rows, fields split on `|`.
    @discardableResult
    static func query(url: String, _ sql: String) async throws -> [[String]] {
        let result = try await ProcessRunner.run(try psql(), [url, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql],
                                                 slot: .alreadyHeld)
        guard result.succeeded else {
            throw WatchHarness.Failure(description: "psql failed (is PostgreSQL running? see .ci/run): \(result.stderrText)")
        }
        return result.stdoutText.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
    }

    static func query(database: String, _ sql: String) async throws -> [[String]] {
        try await query(url: "\(server)/\(database)?sslmode=disable", sql)
    }
}
