/// Functions that call a service's handlers one request after another in one goroutine, so a
/// handler found running in such a goroutine may be a later call than the one that started an
/// older goroutine: HTTP/1.x serves every request of a kept-alive connection in that
/// connection's goroutine.
public enum RequestLoops {
    /// The loops known: `net/http`'s per-connection server goroutine. HTTP/2 and gRPC start a
    /// goroutine per stream by default, whose handler calls return with it.
    public static let functions: Set<String> = ["net/http.(*conn).serve"]

    /// Whether `function` runs handlers one request after another.
    public static func contains(_ function: some StringProtocol) -> Bool {
        functions.contains(String(function))
    }
}
