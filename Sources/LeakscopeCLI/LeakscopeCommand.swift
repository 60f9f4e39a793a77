import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LeakscopePprofDriver
import LeakscopeCollect
import LeakscopeBytes
import LeakscopeWeb

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
            ServeSubcommand.self,
            TraceSubcommand.self,
            GateSubcommand.self,
            LintSubcommand.self,
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
            let status = await PprofDriver(fetcher: HTTPProfileFetcher(), webServer: PprofWebServer()).run(Array(arguments.dropFirst()))
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
            Glibc.exit(report(error))
        }
    }

    /// Prints `error` as ArgumentParser would (help and usage text included), with control
    /// characters from the command line escaped, and returns the exit status: ArgumentParser's
    /// usage status 64 becomes 2, the status every leakscope command uses for usage and input errors.
    static func report(_ error: any Error) -> Int32 {
        if let error = error as? OneLineError {
            if error.printed { printError("leakscope: \(error.message)") }
            return error.exitCode
        }
        let status = exitCode(for: error).rawValue
        let message = fullMessage(for: error)
        if !message.isEmpty {
            let text = TerminalText.sanitize(Array((message + "\n").utf8), keepingColor: false)
            try? FileBytes.writeAll(text, to: status == 0 ? STDOUT_FILENO : STDERR_FILENO, name: "output")
        }
        return status == 64 ? 2 : status
    }
}
