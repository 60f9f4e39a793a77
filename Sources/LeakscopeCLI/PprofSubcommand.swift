import ArgumentParser
import LeakscopePprofDriver
import LeakscopeCollect
import LeakscopeWeb

/// `leakscope pprof`: a drop-in for `go tool pprof`'s report commands.
///
/// `LeakscopeCommand.main` hands `pprof` command lines straight to `PprofDriver`, which parses
/// them with Go's flag rules; this type exists so that `leakscope --help` lists the subcommand
/// and so that a command line routed through ArgumentParser still works.
struct PprofSubcommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pprof",
        abstract: "Reports on pprof profiles, flag-compatible with `go tool pprof` (run `leakscope pprof -help`).")

    @Argument(parsing: .captureForPassthrough, help: "go tool pprof flags and profile sources.")
    var arguments: [String] = []

    func run() async throws {
        let status = await PprofDriver(fetcher: HTTPProfileFetcher(), webServer: PprofWebServer()).run(arguments)
        if status != 0 { throw ExitCode(status) }
    }
}
