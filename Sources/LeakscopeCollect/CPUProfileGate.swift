/// Keeps this process from running two CPU profiles against one target at once: Go allows one per
/// process and answers a second with 500 "cpu profiling already in use".
actor CPUProfileGate {
    static let shared = CPUProfileGate()
    private var busy: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    func acquire(_ key: String) async {
        if !busy.contains(key) {
            busy.insert(key)
            return
        }
        await withCheckedContinuation { waiting[key, default: []].append($0) }
    }

    func release(_ key: String) {
        if var queue = waiting[key], !queue.isEmpty {
            let next = queue.removeFirst()
            waiting[key] = queue.isEmpty ? nil : queue
            next.resume()  // the key stays busy: ownership passes to the waiter
        } else {
            busy.remove(key)
        }
    }
}
