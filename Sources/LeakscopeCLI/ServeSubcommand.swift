import ArgumentParser
import LeakscopeBytes
import LeakscopeWeb

/// `leakscope serve`: the web UI over capture directories and profile files.
struct ServeSubcommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Browse capture directories and profiles in the web UI: diagnose reports, flame graphs, top, comparisons.",
        discussion: """
        Each directory (a `leakscope capture` set, or any folder of profiles) gets its diagnose report \
        and a page per profile with pprof's views (/p/N/ui/flamegraph, /ui/top, /ui/peek, …); two \
        profiles of one kind compare as a differential flame graph (/c/diff/A/B/ui/) or by subtraction \
        (/c/base/A/B/ui/). Binds to loopback by default; any other address needs the printed token.
        """)

    @Argument(help: "Capture directories or profile files.")
    var inputs: [String]

    @Option(name: [.customLong("http"), .customLong("listen")], help: "Where to listen, HOST:PORT (`:0` picks a free port).")
    var http = "localhost:8080"

    @Flag(name: [.customLong("no-browser"), .customLong("no_browser")], help: "Do not try to open a browser.")
    var noBrowser = false

    func run() async throws {
        let site: CaptureSite
        do {
            site = try CaptureSite(arguments: inputs)
        } catch {
            printError("leakscope: \(error.message)")
            throw ExitCode(2)
        }
        let status = await CaptureSite.serve(site, address: http, openBrowser: !noBrowser)
        if status != 0 { throw ExitCode(status) }
    }
}
