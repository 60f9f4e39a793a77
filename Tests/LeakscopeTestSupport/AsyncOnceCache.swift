/// A per-process cache whose values are computed once, even when many tests ask at the same time.
///
/// Callers of a key being computed await its task instead of holding a lock, so no thread of the
/// test runner's pool is blocked while a fixture builds. Errors are cached too, so every test that
/// needs a broken thing fails with the same message.
public actor AsyncOnceCache<Key: Hashable & Sendable, Value: Sendable> {
    private var tasks: [Key: Task<Value, any Error>] = [:]

    public init() {}

    public func value(for key: Key, compute: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let task = tasks[key] { return try await task.value }
        let task = Task { try await compute() }
        tasks[key] = task
        return try await task.value
    }
}
