import ArgumentParser

/// `leakscope pprof`: a drop-in for `go tool pprof`'s report commands.
struct PprofSubcommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pprof",
        abstract: "Reports on pprof profiles, flag-compatible with `go tool pprof`.")
    func run() async throws { throw ValidationError("pprof: being built") }
}
