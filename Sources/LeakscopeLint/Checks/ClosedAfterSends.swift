import LeakscopeGoSource

extension AbandonedSend {
    /// The channels a goroutine literal closes once it has sent on `channel` for the last time:
    /// `defer close(x)` at the top of its body, or `close(x)` at its top level with no send on
    /// `channel` after it. Only channels `function` (the enclosing body, goroutines included)
    /// uses in no other way than its `make`, one `close(x)` and receives count: nothing else can
    /// make a receive from them ready (a channel handed to a call or stored may be sent on or
    /// closed elsewhere), so a receiving loop taking that case has already taken every send.
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
        // Every mention of a candidate must be its definition, the one close or a receive.
        var closes: [String: Int] = [:]
        var accounted: [String: Int] = [:]
        var mentions: [String: Int] = [:]
        for s in function {
            Walk.statements(s, { st in
                if case .assign(let lhs, .define, _, _) = st {
                    for x in lhs { if let name = x.identName, candidates.contains(name) { accounted[name, default: 0] += 1 } }
                }
                return true
            }, { e in
                switch e {
                case .ident(let id) where candidates.contains(id.name):
                    mentions[id.name, default: 0] += 1
                case .call(let c):
                    if let x = closed(c), candidates.contains(x) { closes[x, default: 0] += 1; accounted[x, default: 0] += 1 }
                case .unary(.arrow, let operand, _):
                    if let x = operand.identName, candidates.contains(x) { accounted[x, default: 0] += 1 }
                default:
                    break
                }
                return true
            })
        }
        return candidates.filter { closes[$0] == 1 && mentions[$0, default: 0] == accounted[$0, default: 0] }
    }
}
