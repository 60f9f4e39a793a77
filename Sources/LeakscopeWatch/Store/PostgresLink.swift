import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// One PostgreSQL connection used from synchronous code: calls are serialized by a lock and wait on
/// the connection's own event loop (never the caller's thread pool), and a broken connection is
/// reopened on the next call. `WatchStore`'s API is synchronous (the HTTP handlers and the watcher
/// call it like SQLite), so this is the bridge.
final class PostgresLink: Sendable {
    let configuration: PostgresConnection.Configuration
    let eventLoop: any EventLoop
    let logger: Logger
    private let connection = NIOLockedValueBox<PostgresConnection?>(nil)
    private let ids = ManagedAtomicCounter()

    init(configuration: PostgresConnection.Configuration, eventLoop: any EventLoop) {
        self.configuration = configuration
        self.eventLoop = eventLoop
        var logger = Logger(label: "leakscope-watch-postgres")
        logger.logLevel = .critical
        self.logger = logger
    }

    /// Runs `body` with the connection (opened if needed). A transport failure drops the connection
    /// so the next call reconnects; the error is rethrown.
    func run<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try connection.withLockedValue { current in
            let open: PostgresConnection
            if let current, !current.isClosed {
                open = current
            } else {
                open = try PostgresConnection.connect(on: eventLoop, configuration: configuration, id: ids.next(),
                                                      logger: logger).wait()
                current = open
            }
            do {
                return try body(open)
            } catch let error as PSQLError where error.code != .server {
                try? open.close().wait()
                current = nil
                throw error
            }
        }
    }

    /// Runs `body` between BEGIN and COMMIT (ROLLBACK when it throws).
    func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try run { connection in
            _ = try query(connection, "BEGIN")
            do {
                let result = try body(connection)
                _ = try query(connection, "COMMIT")
                return result
            } catch {
                _ = try? query(connection, "ROLLBACK")
                throw error
            }
        }
    }

    /// Runs one statement. A server-side failure (bad SQL, a constraint) becomes a `StoreError` with
    /// the server's message; transport failures stay `PSQLError`s so `run` reconnects.
    func query(_ connection: PostgresConnection, _ query: PostgresQuery) throws -> PostgresQueryResult {
        do {
            return try connection.query(query, logger: logger).wait()
        } catch let error as PSQLError where error.code == .server {
            let message = error.serverInfo?[.message] ?? "error"
            let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            throw StoreError(message: "PostgreSQL: \(message)\(state)")
        }
    }

    func close() {
        connection.withLockedValue { current in
            try? current?.close().wait()
            current = nil
        }
    }
}

/// Connection IDs for postgres-nio's logs.
final class ManagedAtomicCounter: Sendable {
    private let value = NIOLockedValueBox(0)
    func next() -> Int { value.withLockedValue { $0 += 1; return $0 } }
}
