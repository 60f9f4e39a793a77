import ArgumentParser

/// `leakscope goroutines`: summarise goroutine dumps and rank leak suspects.
struct GoroutinesSubcommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "goroutines",
        abstract: "Summarise goroutine dumps and rank leak suspects.")
    func run() async throws { throw ValidationError("goroutines: being built") }
}
