import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import LeakscopeWatch
import LeakscopeBytes
import LeakscopeFormat

/// `leakscope watch`: always-on leak watch for one service or a fleet (docs/WATCH.md).
struct WatchSubcommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch Go services for goroutine and heap leaks; alert with the leaking function attached.",
        discussion: """
        Polls each target cheaply (its /metrics, or the pprof index page and heap?debug=1), evaluates rules \
        (shipped defaults: goroutines > 2000 growing 15%/min, growth against the target's own warm-up baseline, \
        steady heap growth), and when one fires captures goroutine dumps and heap profiles, runs diagnose on \
        them and sends the alert, with the leaking function, to Alertmanager or a webhook. Serves /metrics and \
        a JSON API on --listen. Example: leakscope watch http://127.0.0.1:6060 --alertmanager http://127.0.0.1:9093
        """)

    @Argument(help: "Targets (http://host:port; the pprof prefix defaults to /debug/pprof/). Added to the config's targets.")
    var urls: [String] = []

    @Option(help: "YAML config file (docs/WATCH.md). Without one, the defaults apply.")
    var config: String?

    @Option(help: "Poll interval, such as 15s or 500ms (overrides the config).")
    var interval: String?

    @Option(help: "HOST:PORT for /metrics and the API (overrides the config; default 127.0.0.1:7070).")
    var listen: String?

    @Option(help: "sqlite:PATH (overrides the config; default sqlite:leakscope.db).")
    var store: String?

    @Option(help: "Alertmanager base URL, such as http://127.0.0.1:9093 (overrides the config).")
    var alertmanager: String?

    @Flag(help: "Check the config and exit (0 when valid, 2 with the first problem).")
    var check = false

    @OptionGroup var redirects: RedirectOption

    func run() async throws {
        redirects.apply()
        let settings: WatchConfig
        do {
            settings = try resolvedConfig()
            try WatchService.validate(settings)
        } catch {
            printError("leakscope: \(error)")
            throw ExitCode(2)
        }
        if check {
            func counted(_ n: Int, _ noun: String) -> String { "\(Numbers.count(n)) \(noun)\(n == 1 ? "" : "s")" }
            print("config OK: \(counted(settings.targets.count, "target")), \(counted(settings.fileSD.count, "file_sd file")), "
                  + "\(counted(settings.rules.count, "rule"))")
            return
        }
        let task = Task {
            try await WatchService.run(settings, log: { line in Self.log(line) }, onListening: { port in
                Self.log("listening on \(settings.listen.host):\(port)")
            })
        }
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let interrupted = Interrupted()
        let stopping = Interrupted()
        let sigint = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        sigint.setEventHandler { interrupted.set(); stopping.set(); task.cancel() }
        sigint.resume()
        let sigterm = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        sigterm.setEventHandler { stopping.set(); task.cancel() }
        sigterm.resume()
        let result = await task.result
        // After a signal, whatever the services threw while stopping is not a failure.
        if case .failure(let error) = result, !stopping.value {
            printError("leakscope: \(error)")
            throw ExitCode(2)
        }
        if interrupted.value { throw ExitCode(130) }
    }

    func resolvedConfig() throws -> WatchConfig {
        var settings = WatchConfig()
        if let config { settings = try WatchConfigParser.load(path: config) }
        var overrides = ""
        if let interval { overrides += "interval: \"\(interval)\"\n" }
        if let listen { overrides += "listen: \"\(listen)\"\n" }
        if let store { overrides += "store: \"\(store)\"\n" }
        if let alertmanager { overrides += "alertmanager: \"\(alertmanager)\"\n" }
        if !overrides.isEmpty {
            let flags = try WatchConfigParser.parse(overrides, file: "command line")
            if interval != nil { settings.interval = flags.interval }
            if listen != nil { settings.listen = flags.listen }
            if store != nil { settings.store = flags.store }
            if alertmanager != nil { settings.alertmanager = flags.alertmanager }
        }
        if settings.token == nil, let token = ProcessInfo.processInfo.environment["LEAKSCOPE_WATCH_TOKEN"], !token.isEmpty {
            settings.token = token
        }
        for url in urls {
            do {
                settings.targets += try WatchConfigParser.parse("targets:\n  - \"\(url)\"\n", file: "command line").targets
            } catch {
                // The YAML is ours, not the user's: its line number means nothing to them.
                throw ConfigError(file: "argument '\(url)'", line: nil, field: nil, error.message)
            }
        }
        return settings
    }

    static func log(_ line: String) {
        let stamp = ISO8601DateFormatter().string(from: Date())
        FileHandle.standardError.write(Data("\(stamp) \(line)\n".utf8))
    }
}

/// Set once from a signal handler, read after the watcher stopped.
private final class Interrupted: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    func set() { lock.lock(); flag = true; lock.unlock() }
    var value: Bool { lock.lock(); defer { lock.unlock() }; return flag }
}
