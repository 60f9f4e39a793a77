import ArgumentParser
import LeakscopeCollect

/// `--follow-redirects`, shared by every subcommand that fetches from a URL. By default a fetch
/// follows redirects only to the same scheme, host and port, so a target cannot steer leakscope
/// elsewhere; this flag (like `LEAKSCOPE_REDIRECTS=any`) allows other origins for the whole run.
struct RedirectOption: ParsableArguments {
    @Flag(help: "Follow redirects to another scheme, host or port (default: the same origin only; credentials are never forwarded to another origin).")
    var followRedirects = false

    /// Makes the choice the process-wide default before any fetch starts.
    func apply() {
        if followRedirects { ProfileFetcher.redirectPolicy = .anywhere }
    }
}
