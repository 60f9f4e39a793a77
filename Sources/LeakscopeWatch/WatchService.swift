import Foundation
import Hummingbird

/// `leakscope watch` as one call: opens the store, starts the HTTP server, polls, evaluates, alerts,
/// and re-reads file_sd files when they change, until the task is cancelled.
public enum WatchService {
    /// Checks everything that can be checked before starting (targets resolve, the store opens).
    public static func validate(_ config: WatchConfig) throws(ConfigError) {
        if case .postgres = config.store {
            throw ConfigError(file: "config", line: nil, field: "store",
                              "PostgreSQL is not supported yet by this build; use sqlite:PATH")
        }
        for target in config.targets { _ = try WatchTarget(target, poll: config.poll, capture: config.capture) }
        guard config.listen.isLoopback || config.token != nil else {
            throw ConfigError(file: "config", line: nil, field: "listen",
                              "\(config.listen.text) is reachable from other machines: set token: (or LEAKSCOPE_WATCH_TOKEN), or listen on 127.0.0.1")
        }
        guard !config.targets.isEmpty || !config.fileSD.isEmpty else {
            throw ConfigError(file: "config", line: nil, field: "targets", "no targets: give URLs, targets: or file_sd:")
        }
    }

    /// Runs until cancelled. `log` gets one line per event (target down/up, alert fired/resolved,
    /// diagnosis); `onListening` gets the HTTP port once bound.
    public static func run(_ config: WatchConfig, log: @escaping @Sendable (String) -> Void,
                           onListening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        try validate(config)
        guard case .sqlite(let path) = config.store else { return }
        let store = try WatchStore(path: path)
        let watcher = try Watcher(config: config, store: store, log: log)
        let app = WatchServer.application(watcher: watcher, store: store, listen: config.listen, token: config.token,
                                          onListening: { port in
                                              Task { await watcher.setBoundPort(port) }
                                              onListening(port)
                                          })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            group.addTask { try await watcher.run() }
            if !config.fileSD.isEmpty {
                group.addTask { await watchFileSD(config, watcher: watcher, log: log) }
            }
            // The first to end (the server failing to bind, or cancellation) ends the rest.
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Re-reads the file_sd files whenever one's modification time changes (checked every 2 s).
    static func watchFileSD(_ config: WatchConfig, watcher: Watcher, log: @escaping @Sendable (String) -> Void) async {
        var seen: [String: Date] = [:]
        var current: [String: [WatchConfig.Target]] = [:]
        var first = true
        while !Task.isCancelled {
            let times = FileSD.modificationTimes(config.fileSD)
            if first || times != seen {
                seen = times
                let (loaded, errors) = FileSD.load(config.fileSD, previous: current)
                current = loaded
                for error in errors { log("file_sd: \(error)") }
                var targets: [WatchTarget] = []
                for path in config.fileSD {
                    for target in current[path] ?? [] {
                        do {
                            targets.append(try WatchTarget(target, poll: config.poll, capture: config.capture))
                        } catch {
                            log("file_sd: \(path): \(error.message)")
                        }
                    }
                }
                await watcher.setDiscovered(targets)
                if !first { log("file_sd: \(targets.count) targets") }
                first = false
            }
            try? await Task.sleep(for: .seconds(2))
        }
    }
}
