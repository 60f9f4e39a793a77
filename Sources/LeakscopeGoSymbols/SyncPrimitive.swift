/// The `sync` primitive a Go function belongs to, and the one a goroutine waits on: the single place
/// that reads `sync.(*Mutex).Lock`, Go 1.24+'s `internal/sync.(*Mutex).lockSlow`,
/// `sync.(*RWMutex).RLock`, `sync.(*WaitGroup).Wait` and `sync.(*Cond).Wait`, for goroutine dumps,
/// block profiles and CPU profiles alike.
public enum SyncPrimitive: String, Sendable, Hashable, CaseIterable {
    case mutex, rwMutex, waitGroup, cond

    /// The primitive `function` is a method of (`sync.(*RWMutex).RLock` → `.rwMutex`), or nil.
    public static func of(_ function: some StringProtocol) -> SyncPrimitive? {
        if function.hasPrefix("sync.(*Mutex).") || function.hasPrefix("internal/sync.(*Mutex).") { return .mutex }
        if function.hasPrefix("sync.(*RWMutex).") { return .rwMutex }
        if function.hasPrefix("sync.(*WaitGroup).") { return .waitGroup }
        if function.hasPrefix("sync.(*Cond).") { return .cond }
        return nil
    }

    /// What a waiting goroutine waits on, from its frames innermost first. Only the run of library
    /// frames under the first other frame counts, and in it the outermost primitive wins: an
    /// `RWMutex.Lock` waits inside a `Mutex`, a `Cond.Wait` re-locks one, yet the code the person
    /// wrote called the `RWMutex` or the `Cond`.
    public static func waitedOn(_ functions: some Sequence<String>) -> SyncPrimitive? {
        var found: SyncPrimitive?
        for function in functions {
            if let primitive = of(function) {
                found = primitive
            } else if !isPlumbing(function) {
                break
            }
        }
        return found
    }

    /// Frames between a wait and the primitive: the runtime, `internal/…` and the rest of `sync`.
    static func isPlumbing(_ function: String) -> Bool {
        function.hasPrefix("runtime.") || function.hasPrefix("internal/") || function.hasPrefix("sync.")
    }
}
