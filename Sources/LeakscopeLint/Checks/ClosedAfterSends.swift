import LeakscopeGoSource

extension AbandonedSend {
    /// The channels a sender goroutine closes once it has sent on its channel for the last time:
    /// `defer close(x)` at the top of its body, or `close(x)` at its top level with no send on
    /// the channel after it. Only channels the enclosing function (`function`, goroutines
    /// included) uses in no other way than its `make`, receives and that one `close(x)` count —
    /// or, for a declared function started with `go f(done, ch)`, one its parameter names and
    /// the caller hands over in that `go` statement only: nothing else can make a receive from
    /// them ready (a channel handed to another call or stored may be sent on or closed
    /// elsewhere), so a receiver taking that case has already taken every send.
    static func closedAfterSends(_ sender: Sender, function: [Stmt]) -> Set<String> {
        let closing = closedAtTheEnd(sender.channel, sender.body)
        guard !closing.isEmpty else { return [] }
        guard sender.callee != nil else {
            return usedOnlyToSignal(closing, in: function, definitions: 1, closes: 1, handedOverAt: nil)
        }
        // The callee's parameters, each closed once there and used for nothing else; then the
        // caller's channels handed to them, each to one parameter only.
        let parameters = usedOnlyToSignal(closing, in: sender.body, definitions: 0, closes: 1, handedOverAt: nil)
        let handed = Set(parameters.compactMap { sender.callerNames[$0] })
        return usedOnlyToSignal(handed, in: function, definitions: 1, closes: 0, handedOverAt: sender.go)
    }

    /// The channels `body` closes with a top-level `defer close(x)`, or a top-level `close(x)`
    /// after which no statement mentions `channel` (`channel` itself excluded).
    static func closedAtTheEnd(_ channel: String, _ body: [Stmt]) -> Set<String> {
        var candidates = Set<String>()
        for (index, s) in body.enumerated() {
            if case .deferCall(let c, _) = s, let x = closedChannel(c) { candidates.insert(x) }
            if case .expr(let e) = s, let c = Lint.call(e), let x = closedChannel(c),
               !body[(index + 1)...].contains(where: { Lint.mentions($0, channel) }) {
                candidates.insert(x)
            }
        }
        candidates.remove(channel)
        return candidates
    }

    /// `x` of `close(x)`.
    static func closedChannel(_ call: Call) -> String? {
        guard call.fun.identName == "close", call.args.count == 1 else { return nil }
        return call.args[0].unparenthesized.identName
    }

    /// The `candidates` every mention of which in `statements` is one of exactly `definitions`
    /// definitions (`x := make(…)`; one, so that no inner `:=` hides the name), a receive, one of
    /// exactly `closes` closes, or, when `go` is given, its one argument of the `go` statement at
    /// `handedOverAt`.
    static func usedOnlyToSignal(_ candidates: Set<String>, in statements: [Stmt], definitions: Int, closes expected: Int,
                                 handedOverAt go: Int32?) -> Set<String> {
        guard !candidates.isEmpty else { return [] }
        var closes: [String: Int] = [:]
        var defined: [String: Int] = [:]
        var handed: [String: Int] = [:]
        var received: [String: Int] = [:]
        var mentions: [String: Int] = [:]
        for s in statements {
            Walk.statements(s, { st in
                if case .assign(let lhs, .define, _, _) = st {
                    for x in lhs { if let name = x.identName, candidates.contains(name) { defined[name, default: 0] += 1 } }
                }
                if case .go(let call, let pos) = st, pos == go {
                    for x in call.args { if let name = x.identName, candidates.contains(name) { handed[name, default: 0] += 1 } }
                }
                return true
            }, { e in
                switch e {
                case .ident(let id) where candidates.contains(id.name):
                    mentions[id.name, default: 0] += 1
                case .call(let c):
                    if let x = closedChannel(c), candidates.contains(x) { closes[x, default: 0] += 1 }
                case .unary(.arrow, let operand, _):
                    if let x = operand.identName, candidates.contains(x) { received[x, default: 0] += 1 }
                default:
                    break
                }
                return true
            })
        }
        return candidates.filter { name in
            let handOvers = handed[name, default: 0]
            guard closes[name, default: 0] == expected, defined[name, default: 0] == definitions,
                  handOvers == (go == nil ? 0 : 1) else { return false }
            return mentions[name, default: 0] == definitions + closes[name, default: 0] + handOvers + received[name, default: 0]
        }
    }
}
