import Foundation
import LeakscopePprofDriver

/// Runs a server the way both commands do: print `Serving web UI on URL` (pprof's words) on
/// stderr when bound, open a browser if asked, and turn a bind failure into one line and exit 2.
enum WebOutput {
    static func run(_ server: WebServer, openBrowser: Bool) async -> Int32 {
        do {
            try await server.run { url in
                error("Serving web UI on \(url)")
                if openBrowser { BrowserOpener.open(url) }
            }
            return 0
        } catch {
            self.error("leakscope: cannot serve on \(server.address.authority(port: server.address.port)): \(error)")
            return 2
        }
    }

    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
