import LeakscopeGoSource

extension AbandonedSend {
    /// The channels a goroutine literal closes once it has sent on `channel` for the last time:
    /// `defer close(x)` at the top of its body, or `close(x)` at its top level with no send on
    /// `channel` after it. Only channels `function` (the enclosing body, goroutines included)
    /// closes exactly once and never sends on count: nothing else can make a receive from them
    /// ready, so a receiver taking that case has already taken every send.
    static func closedAfterSends(_ channel: String, _ body: [Stmt], function: [Stmt]) -> Set<String> {
        func closed(_ call: Call) -> String? {
            guard call.fun.identName == "close", call.args.count == 1 else { return nil }
            return call.args[0].unparenthesized.identName
        }
        var candidates = Set<String>()
        for (index, s) in body.enumerated() {
            if case .deferCall(let c, _) = s, let x = closed(c) { candidates.insert(x) }
            if case .expr(let e) = s, let c = Lint.call(e), let x = closed(c),
               !body[(index + 1)...].contains(where: { !plainSends(channel, [$0]).isEmpty }) {
                candidates.insert(x)
            }
        }
        candidates.remove(channel)
        guard !candidates.isEmpty else { return [] }
        var closes: [String: Int] = [:]
        var sentOn = Set<String>()
        for s in function {
            Walk.statements(s, { st in
                if case .send(let target, _, _) = st, let x = target.identName { sentOn.insert(x) }
                return true
            }, { e in
                if let c = Lint.call(e), let x = closed(c) { closes[x, default: 0] += 1 }
                return true
            })
        }
        return candidates.filter { closes[$0] == 1 && !sentOn.contains($0) }
    }
}
