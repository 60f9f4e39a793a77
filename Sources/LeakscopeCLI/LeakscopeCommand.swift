import ArgumentParser

/// The `leakscope` root command. Each subcommand lives in its own file.
public struct LeakscopeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "leakscope",
        abstract: "Find, explain and prevent CPU hogs, memory leaks and goroutine leaks in Go services.",
        subcommands: [
            PprofSubcommand.self,
            GoroutinesSubcommand.self,
        ]
    )
    public init() {}
}
