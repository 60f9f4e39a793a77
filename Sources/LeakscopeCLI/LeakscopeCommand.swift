import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LeakscopePprofDriver
import LeakscopeCollect

/// The `leakscope` root command. Each subcommand lives in its own file.
public struct LeakscopeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "leakscope",
        abstract: "Find, explain and prevent CPU hogs, memory leaks and goroutine leaks in Go services.",
        subcommands: [
            PprofSubcommand.self,
            GoroutinesSubcommand.self,
            CaptureSubcommand.self,
            DiagnoseSubcommand.self,
            GctraceSubcommand.self,
            WatchSubcommand.self,
        ]
    )
    public init() {}

    /// Entry point. `leakscope pprof …` bypasses ArgumentParser so that go tool pprof's Go-style
    /// flags (`-top`, `-focus=x`, `-h`) reach our Go-flag parser untouched; every other subcommand
    /// goes through ArgumentParser as usual.
    public static func launch() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == PprofSubcommand.configuration.commandName {
            let status = await PprofDriver(fetcher: HTTPProfileFetcher()).run(Array(arguments.dropFirst()))
            Glibc.exit(status)
        }
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
