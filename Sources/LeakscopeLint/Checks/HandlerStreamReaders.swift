import LeakscopeGoSource

extension AbandonedSend {
    /// Why a finding whose every sender reads the handler's own gRPC stream once is `low`.
    static let streamInitReader = "the sender reads the handler's own gRPC stream once and sends only what it read: when the handler returns, the stream ends and that read fails, so the send is reached only if a message arrived just as the handler gave up"

    /// Whether `sender` is a function literal that reads one message from a server stream handed
    /// to the function (`observed, err := server.Recv()`, the parameter's type named `…Server`, as
    /// gRPC generates for a stream handler, or `grpc.…StreamingServer[…]`), returns on the read's
    /// error (`if err != nil { close(ch); return }`), and only then makes its one send on the
    /// channel, outside any loop. gRPC ends a handler's stream when the handler returns, so the
    /// read left behind by a timed-out handler fails and takes the error branch (elastic-agent's
    /// `CheckinV2` waiting for a component's first check-in). A reader that goes on receiving in a
    /// loop is not such a sender: a message read while the handler gives up blocks it
    /// (seaweedfs' `handleIncoming`).
    ///
    /// Only in the handler itself: a method whose last parameter is the stream, whose one result
    /// is an `error`, and which nothing in the package calls (a helper handed the stream returns
    /// while the stream lives on).
    static func readsHandlerStreamOnce(_ sender: Sender, _ ctx: CheckContext) -> Bool {
        guard sender.callee == nil, !ctx.unit.isLiteral, ctx.unit.receiver != nil,
              let last = ctx.unit.type.params.last, isServerStream(last.type),
              ctx.unit.type.results.count == 1, ctx.unit.type.results[0].names.count <= 1,
              ctx.unit.type.results[0].type.identName == "error" else { return false }
        let streams = Set(last.names.map(\.name))
        guard !streams.isEmpty else { return false }
        let statements = sender.body
        var sends: [Int] = []
        for (index, s) in statements.enumerated() {
            var count = 0
            Walk.statements(s, intoFuncLits: true, { st in
                if case .send(let target, _, _) = st, target.unparenthesized.identName == sender.channel { count += 1 }
                return true
            }, { _ in true })
            if count > 1 { return false }
            if count == 1 {
                guard case .send = s else { return false }
                sends.append(index)
            }
        }
        guard sends.count == 1, let send = sends.first else { return false }
        // The read and its error check, before the send, at the literal's top level.
        for index in 0..<send where index + 1 < send {
            guard case .assign(let lhs, _, let rhs, _) = statements[index], lhs.count == 2, rhs.count == 1,
                  let read = Lint.call(rhs[0]), read.args.isEmpty, case .selector(let stream, let method) = read.fun,
                  method.name == "Recv", let streamName = stream.unparenthesized.identName, streams.contains(streamName),
                  let err = lhs[1].identName else { continue }
            guard case .ifStmt(let check) = statements[index + 1],
                  case .binary(.neq, let a, let b, _) = check.condition, a.identName == err, b.identName == "nil",
                  case .returnStmt? = check.body.statements.last else { continue }
            // Asked last: it reads every body of the package.
            guard let name = ctx.unit.name.split(separator: ".").last.map(String.init) else { return false }
            return !calledInPackage(name, ctx)
        }
        return false
    }

    /// Whether any function or method of the package calls a method named `name`.
    private static func calledInPackage(_ name: String, _ ctx: CheckContext) -> Bool {
        let bodies = ctx.package.functions.values.compactMap(\.body) + ctx.package.methods.values.compactMap(\.decl.body)
        return bodies.contains { body in
            body.statements.contains { s in
                Walk.contains(s) { x in
                    guard case .call(let c) = x, case .selector(_, let m) = c.fun.unparenthesized else { return false }
                    return m.name == name
                }
            }
        }
    }

    /// `pkg.Service_MethodServer`, `grpc.ServerStream`, `grpc.BidiStreamingServer[Req, Res]`.
    private static func isServerStream(_ type: Expr) -> Bool {
        var base = type.unparenthesized
        if case .index(let generic, _, _) = base { base = generic.unparenthesized }
        guard let name = Lint.finalName(base) else { return false }
        return name.hasSuffix("Server") || name == "ServerStream"
    }
}
