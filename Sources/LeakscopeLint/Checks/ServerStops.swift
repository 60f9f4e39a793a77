import LeakscopeGoSource

/// LS001's stopped servers: a goroutine that sends only the error its server's `Serve` returns,
///
///     go func() {
///         if err := srv.Serve(lis); err != nil { errCh <- err }
///     }()
///     select {
///     case err := <-errCh: return err
///     case <-stop: srv.GracefulStop(); return nil
///     }
///
/// sends nothing after the receiver stops that server and leaves: gRPC's `Serve` returns nil after
/// `Stop` or `GracefulStop`, and net/http's returns `http.ErrServerClosed` after `Shutdown` or
/// `Close`, which the send's condition then has to exclude.
enum ServerStops {
    static let serveMethods: Set<String> = ["Serve", "ServeTLS", "ListenAndServe", "ListenAndServeTLS"]

    /// The server (its spelling in the body) whose `Serve` error gates every send on `channel` in
    /// `body`, and whether the sends also exclude `ErrServerClosed`; nil when any send is not gated.
    static func gatingServer(_ channel: String, _ body: [Stmt]) -> (server: String, closedExcluded: Bool)? {
        var servers = Set<String>()
        var allGated = true
        var allExclude = true
        var sends = 0
        forEachStatement(body) { s, frames in
            guard case .send(let target, _, _) = s, target.identName == channel else { return }
            sends += 1
            // A sender that serves again in a loop sends after a stop too (gRPC's second Serve
            // returns ErrServerStopped).
            if frames.contains(where: { $0.kind == .loop }) { allGated = false; return }
            var server: String?
            var excludes = false
            // The enclosing ifs, innermost first: each is `frames[k - 1]`'s current statement. Only
            // their `then` branches count: an `else` runs exactly when Serve returned nil or
            // ErrServerClosed.
            for k in stride(from: frames.count - 1, to: 0, by: -1) where frames[k].kind == .branch {
                let parent = frames[k - 1]
                guard case .ifStmt(let i) = parent.list[parent.index] else { continue }
                guard let first = frames[k].list.first, i.body.statements.first.map({ $0.pos == first.pos }) == true else {
                    server = nil; excludes = false; break
                }
                if excludesClosed(i.condition) { excludes = true }
                guard server == nil, checksError(i.condition) else { continue }
                if let initial = i.initial {
                    server = servedBy(initial)
                } else if parent.index > 0 {
                    server = servedBy(parent.list[parent.index - 1])
                }
            }
            if let server { servers.insert(server) } else { allGated = false }
            allExclude = allExclude && excludes
        }
        guard sends > 0, allGated, servers.count == 1, let only = servers.first else { return nil }
        return (only, allExclude)
    }

    /// Whether a select case's body stops that server on every path: a top-level call statement
    /// (or `return srv.Shutdown(…)`, an `if`'s initialiser or a side of its comparison) before
    /// any statement that holds a return.
    static func stops(_ clause: [Stmt], _ gate: (server: String, closedExcluded: Bool)) -> Bool {
        func isStop(_ x: Expr) -> Bool {
            guard case .call(let c) = x.unparenthesized, let (receiver, method) = Lint.methodCall(c), Lint.text(receiver) == gate.server else { return false }
            return method == "GracefulStop" || method == "Stop" || (gate.closedExcluded && (method == "Shutdown" || method == "Close"))
        }
        func isStopStatement(_ s: Stmt) -> Bool {
            switch s {
            case .expr(let x): return isStop(x)
            case .assign(_, _, let rhs, _): return rhs.count == 1 && isStop(rhs[0])
            default: return false
            }
        }
        for s in clause {
            if isStopStatement(s) { return true }
            if case .ifStmt(let i) = s {
                // `if err := srv.Shutdown(ctx); err != nil {…}` or `if srv.Shutdown(ctx) != nil {…}`:
                // the stop runs before either branch.
                if i.initial.map(isStopStatement) == true { return true }
                if case .binary(_, let a, let b, _) = i.condition.unparenthesized, isStop(a) || isStop(b) { return true }
            }
            if case .returnStmt(let results, _) = s { return results.count == 1 && isStop(results[0]) }
            // A way out before the stop (`if skip { return nil }`) leaves the server running.
            if AbandonedSend.firstReturn([s]) != nil { return false }
        }
        return false
    }

    /// `err := s.Serve(lis)` (or `=`): `s`'s spelling.
    static func servedBy(_ s: Stmt) -> String? {
        guard case .assign(let lhs, _, let rhs, _) = s, lhs.count == 1, rhs.count == 1, lhs[0].identName == "err",
              let c = Lint.call(rhs[0]), let (receiver, method) = Lint.methodCall(c), serveMethods.contains(method) else { return nil }
        return Lint.text(receiver)
    }

    /// `err != nil`, alone or as a conjunct.
    static func checksError(_ e: Expr) -> Bool {
        switch e.unparenthesized {
        case .binary(.neq, let a, let b, _): return a.identName == "err" && b.identName == "nil"
        case .binary(.land, let a, let b, _): return checksError(a) || checksError(b)
        default: return false
        }
    }

    /// `!errors.Is(err, http.ErrServerClosed)` or `err != http.ErrServerClosed`, alone or as a conjunct.
    static func excludesClosed(_ e: Expr) -> Bool {
        func isClosed(_ x: Expr) -> Bool {
            if case .selector(_, let name) = x.unparenthesized { return name.name == "ErrServerClosed" }
            return false
        }
        switch e.unparenthesized {
        case .unary(.not, let inner, _):
            guard case .call(let c) = inner.unparenthesized, case .selector(_, let f) = c.fun, f.name == "Is", c.args.count == 2 else { return false }
            return isClosed(c.args[1])
        case .binary(.neq, let a, let b, _): return a.identName == "err" && isClosed(b)
        case .binary(.land, let a, let b, _): return excludesClosed(a) || excludesClosed(b)
        default: return false
        }
    }
}
