import LeakscopeGoSource

/// LS002: `t := time.NewTicker(d)` with no `t.Stop()` in the function, where `t` does not leave
/// the function (returned, stored, passed on); also `time.NewTicker(d).C` used directly.
/// In a function that never returns (it ends in an endless loop, `for range t.C` over a ticker
/// included, or in `select {}`), tickers made before that loop are left out: no `Stop` could
/// ever run, and the goroutine holding the ticker is LS005's concern when it is started per
/// iteration. Tickers made inside the loop are still reported.
enum TickerCheck {
    static func run(_ ctx: CheckContext) {
        if ctx.unit.name == "main.main" || !ctx.package.timersLeak { return }
        let body = ctx.unit.body.statements
        // In a function that never returns, a ticker made before its endless loop can never be
        // stopped usefully; one made inside the loop still leaks once per turn. From which
        // top-level statement on the function can no longer return: a return before a ticker is
        // made leaves no ticker behind (`if !enabled { return }; t := …; for range t.C {…}`, or
        // an endless `for { <-t.C; … }` as the last statement).
        let endless: (Stmt) -> Bool = { s in
            EndlessGoroutine.isEndless(s, endsProcess: { endsProcess($0, ctx) }, neverTaken: { NilChannels.neverTaken($0, ctx) })
        }
        let neverReturnsFrom = Lint.blocksForever(body) ? 0
            : rangesOverTickerForever(body, ctx) ?? endlessLoopReached(body, allowingLater: false, endless: endless)
            ?? tickerMakersBeforeEndlessEnd(body) { s in
                // `for range t.C { … }` with no way out, over a ticker of this body, ends it too.
                endless(s) || isEndlessRange(s, endsProcess: { endsProcess($0, ctx) }, over: tickerChannels(body, ctx))
            }
        // Computed on first use: most functions with a ticker stop it.
        var processLoop: Bool?
        var stopLoop: Bool?
        forEachStatement(body) { s, frames in
            // Only a ticker made by a top-level statement of that stretch lives as long as the loop:
            // one in a block there (`if wait { w := time.NewTicker(d); <-w.C }`) is done with before it.
            if let from = neverReturnsFrom, frames.count == 1, frames[0].index >= from { return }
            if case .assign(let lhs, .define, let rhs, _) = s, lhs.count == 1, rhs.count == 1,
               let call = Lint.call(rhs[0]), ctx.calls(call, "time", ["NewTicker"]), case .ident(let t) = lhs[0], t.name != "_" {
                if !stoppedOrEscapes(t.name, definedAt: t.pos, body) {
                    let inLoop = frames.contains { $0.kind == .loop }
                    var why: String?
                    // One made in a loop feeds one more endless goroutine per turn.
                    if !inLoop, onlyInEndlessGoroutine(t.name, definedAt: t.pos, body) {
                        why = feedsEndlessGoroutine
                    } else if !inLoop {
                        if processLoop == nil { processLoop = endsOnlyWithTheProcess(body, ctx) }
                        if processLoop == true { why = endsWithTheProcess }
                    }
                    // Made outside loops in a function that runs once per process (termshark's
                    // `cmain`): one ticker outlives the call, not one per request. That one is
                    // wanted until shutdown only when the function's loop ends only on a stop
                    // signal (estuary's workers, `endsOnlyOnStop`) or its return ends the process;
                    // a once-run worker that returns on its own (a backfill done, an error) leaves
                    // its ticker running for the rest of the process.
                    // The same for a loop on the one goroutine that uses the ticker (BricksLLM's
                    // memdb `Listen`, session 39).
                    if !inLoop && stopLoop == nil { stopLoop = endsOnlyOnStop(body, ctx) }
                    let stops = stopLoop == true || !inLoop && onlyInGoroutine(t.name, definedAt: t.pos, body) { literal in
                        endsOnlyOnOwnersStop(literal, ctx)
                    }
                    ctx.report(Checks.tickerNotStopped, at: t.pos, "ticker \(t.name) is never stopped",
                               lowConfidence: why, lowIfRunsOnce: inLoop ? nil : runsOnce,
                               onceOnlyAtProcessEnd: !stops)
                }
            }
            // `time.NewTicker(d).C` cannot be stopped at all.
            var own = TimerInLoop.ownExpressions(s)
            if case .rangeStmt(_, _, _, let collection, _, _) = s { own.append(collection) }
            for x in own {
                Walk.expr(x, intoFuncLits: false) { e in
                    if case .selector(.call(let call), let field) = e, field.name == "C", ctx.calls(call, "time", ["NewTicker"]) {
                        ctx.report(Checks.tickerNotStopped, at: call.fun.pos, "the ticker from time.NewTicker(…).C can never be stopped")
                    }
                    return true
                }
            }
        }
    }

    /// Why a ticker made outside loops in a function that runs once per process is `low`.
    static let runsOnce = "\(RunsOnce.reason): one ticker outlives it, not a growing number"

    /// Why a ticker only an endless goroutine uses is `low`.
    static let feedsEndlessGoroutine = "only a goroutine that never returns uses the ticker: both live as long as the process, by design, unless the function runs again and again"

    /// Whether every use of the ticker `name` lies in one function literal started with `go`
    /// whose body never returns (`go func() { for { select { case <-t.C: … } } }()`, photoprism's
    /// daily key renewal; or ends ranging over `name.C`): nothing could stop the ticker while it
    /// is still wanted.
    static func onlyInEndlessGoroutine(_ name: String, definedAt: Int32, _ body: [Stmt]) -> Bool {
        onlyInGoroutine(name, definedAt: definedAt, body) { literal in
            Lint.blocksForever(literal) || rangesForever(over: name, literal) || receivesForever(over: name, literal)
        }
    }

    /// Whether every use of the ticker `name` (but its definition) lies in the one function
    /// literal started with `go` in `body` whose statements `qualifies` accepts.
    static func onlyInGoroutine(_ name: String, definedAt: Int32, _ body: [Stmt], where qualifies: ([Stmt]) -> Bool) -> Bool {
        var goroutines: [ClosedRange<Int32>] = []
        var uses: [Int32] = []
        for s in body {
            Walk.statements(s, intoFuncLits: true, { st in
                if case .go(let call, _) = st, case .funcLit(_, let literal) = call.fun.unparenthesized, qualifies(literal.statements) {
                    goroutines.append(literal.lbrace...literal.rbrace)
                }
                return true
            }, { x in
                if case .ident(let id) = x, id.name == name, id.pos != definedAt { uses.append(id.pos) }
                return true
            })
        }
        return goroutines.count == 1 && !uses.isEmpty && uses.allSatisfy { goroutines[0].contains($0) }
    }

    /// `for range name.C { … }` with no way out, reached with no `return` before it
    /// (`endsInEndlessRange`), and no `defer` at any depth (a deferred `recover` would let a panic end the loop; cubefs's metrics
    /// pusher: `go func() { for range ticker.C { push() } }()`).
    static func rangesForever(over name: String, _ body: [Stmt]) -> Bool {
        guard !defers(body) else { return false }
        return endsInEndlessRange(body) { collection in
            guard case .selector(let base, let field) = collection.unparenthesized, field.name == "C" else { return false }
            return base.unparenthesized.identName == name
        }
    }

    /// `for { _, ok := <-name.C; if !ok { return }; … }` as the last statement of a body with no
    /// other `return`, no other way out of the loop and no `defer` at any depth: a ticker's channel is never
    /// closed, so `ok` is always true and the loop endless (servicecomb-kie's metrics reporter).
    static func receivesForever(over name: String, _ body: [Stmt]) -> Bool {
        guard !defers(body), case .forStmt(_, nil, _, let loop, _)? = body.last, loop.statements.count >= 2,
              AbandonedSend.firstReturn(Array(body.dropLast())) == nil,
              let ok = AbandonedSend.commaOkReceive(loop.statements[0], where: { channel in
                  guard case .selector(let base, let field) = channel.unparenthesized, field.name == "C" else { return false }
                  return base.unparenthesized.identName == name
              }),
              let arm = AbandonedSend.closedArm(loop.statements[1], ok), arm.elseBranch == nil else { return false }
        return !loop.statements.dropFirst(2).contains { EndlessGoroutine.hasExit($0, label: nil, depth: 0) }
    }

    /// Whether any statement of `body`, at any depth outside function literals, is a `defer` (a
    /// deferred `recover` would let a panic end a loop that otherwise never ends).
    static func defers(_ body: [Stmt]) -> Bool {
        var found = false
        forEachStatement(body) { s, _ in if case .deferCall = s { found = true } }
        return found
    }

    /// Whether `body` reaches, with no way out before it, a top-level `for range x { … }` with no
    /// way out of the loop, `x` a collection `ranged` accepts (a ticker's channel, which is never
    /// closed). Statements after such a loop never run (polaris-controller's `MetricTracker`
    /// ranges over its ticker, then waits on a stop channel it can never reach).
    static func endsInEndlessRange(_ body: [Stmt], allowingLater: Bool = true, over ranged: (Expr) -> Bool) -> Bool {
        endlessRangeReached(body, allowingLater: allowingLater, over: ranged) == 0
    }

    /// The index of the first top-level statement of `body` after which the function can no
    /// longer return: the one after the last way out (a return, `goto`, or a call that does not
    /// return: panic, Goexit) before a top-level endless `for range x { … }` (`endsInEndlessRange`);
    /// nil without such a loop. What those ways out leave behind was made before them.
    static func endlessRangeReached(_ body: [Stmt], allowingLater: Bool = true, endsProcess: ((Call) -> Bool)? = nil,
                                    over ranged: (Expr) -> Bool) -> Int? {
        endlessLoopReached(body, allowingLater: allowingLater) { isEndlessRange($0, endsProcess: endsProcess, over: ranged) }
    }

    /// Whether `s` is `for range x { … }` over a collection `ranged` accepts, with no way out of
    /// the loop (a `log.Fatal` there ends the process with it: imposm3's memory profiler).
    static func isEndlessRange(_ s: Stmt, endsProcess: ((Call) -> Bool)?, over ranged: (Expr) -> Bool) -> Bool {
        guard case .rangeStmt(_, _, _, let collection, let loop, _) = s, ranged(collection) else { return false }
        return !loop.statements.contains { EndlessGoroutine.hasExit($0, label: nil, depth: 0, endsProcess: endsProcess) }
    }

    /// `endlessRangeReached` for the first top-level statement `endless` accepts as a loop that
    /// never ends: there a `for range` over a ticker's channel; in `run` also a `for { … }` (labels
    /// included) with no condition and no way out (go-cqhttp's heartbeat: `if interval == 0 {
    /// return }; t := time.NewTicker(interval); for { <-t.C; … }`).
    static func endlessLoopReached(_ body: [Stmt], allowingLater: Bool = true, endless: (Stmt) -> Bool) -> Int? {
        guard let index = body.firstIndex(where: endless) else { return nil }
        let from = body[..<index].lastIndex(where: { EndlessGoroutine.hasExit($0, label: nil, depth: 0) }).map { $0 + 1 } ?? 0
        let last = index == body.count - 1
        // Nothing between the last way out and the loop can leave unseen (a panic into a caller's
        // `recover`, `Goexit` in a literal: its statements call nothing but `time.NewTicker` and
        // `time.Duration`), and no `defer` could recover a panic of the loop's body.
        func sealed() -> Bool { !defers(body) && body[from..<index].allSatisfy(callsOnlyTickerMakers) }
        // Ways out before the ticker is made leave it unmade when the stretch to the loop is
        // sealed and no `goto` among them could jump past the loop to the statements after it.
        if from > 0, !sealed() || !last && Lint.hasGoto(Array(body[..<from])) { return nil }
        if last { return from }
        // Statements after the loop never run when the stretch before it is sealed (already
        // asked when there were ways out).
        guard allowingLater else { return nil }
        return from > 0 || sealed() ? from : nil
    }

    /// For a body whose last statement is an endless loop (`endless`) and which defers nothing:
    /// the index of the first of the statements just before that loop with no way out (no
    /// return, `goto`, `break` out, explicit `panic` or `runtime.Goexit`; the loop's own index
    /// when there are none). What comes before them may return (open-monitor's daily jobs:
    /// `if off { return }; time.Sleep(untilMidnight); tc := time.NewTicker(24 * time.Hour).C;
    /// for { go clean(); <-tc }`; shield's agent: `t := time.NewTicker(d); ping(); for range t.C
    /// { ping() }`; session 30), but a ticker made from there on is never left behind by a
    /// return. Unlike `endlessLoopReached`, calls there may be anything: only a panic recovered
    /// by a caller could then leave the ticker, which the record never showed.
    static func tickerMakersBeforeEndlessEnd(_ body: [Stmt], endless: (Stmt) -> Bool) -> Int? {
        guard let last = body.last, endless(last), !defers(body) else { return nil }
        func unwinds(_ s: Stmt) -> Bool {
            // Literals included: one called on the spot may panic (`refreshTokensChecked`).
            Walk.contains(s, intoFuncLits: true) { e in
                guard let c = Lint.call(e) else { return false }
                if c.fun.identName == "panic" { return true }
                if case .selector(.ident(let package), let name) = c.fun.unparenthesized {
                    return package.name == "runtime" && name.name == "Goexit"
                }
                return false
            }
        }
        var first = body.count - 1
        while first > 0, !EndlessGoroutine.hasExit(body[first - 1], label: nil, depth: 0), !unwinds(body[first - 1]) { first -= 1 }
        return first
    }

    /// Whether `c` ends the process: `os.Exit`, or `Fatal`, `Fatalf`, `Fatalln` of the standard
    /// `log`, klog or glog, resolved through the file's imports, and not through a name the
    /// function declares itself (a `log testing.TB` parameter's `Fatal` only ends its goroutine);
    /// or `Fatal…` on a field the package declares as one of `processLoggers` (panoptes-stream's
    /// `p.logger.Fatal` on its `*zap.Logger`, session 36): a field of any other type (a test's
    /// handle, an interface a `testing.TB` satisfies, a logger of the project's own whose `Fatal`
    /// may return) is no way to know.
    static func endsProcess(_ c: Call, _ ctx: CheckContext) -> Bool {
        let fatal: Set<String> = ["Fatal", "Fatalf", "Fatalln"]
        if case .selector(.selector(_, let field), let method) = c.fun.unparenthesized {
            // zap's sugared logger adds `Fatalw`.
            guard fatal.contains(method.name) || method.name == "Fatalw",
                  var type = ctx.package.fieldTypes[field.name]?.unparenthesized else { return false }
            if case .star(let inner, _) = type { type = inner.unparenthesized }
            guard case .selector(.ident(let x), let name) = type, let file = ctx.package.fieldTypeFiles[field.name],
                  let path = ctx.package.imports(of: file)[x.name] else { return false }
            return processLoggers.contains("\(path).\(name.name)")
        }
        guard case .selector(.ident(let x), _) = c.fun.unparenthesized, !LocalTypes(ctx.unit).declared.contains(x.name) else { return false }
        return ctx.calls(c, "os", ["Exit"])
            || ["log", "k8s.io/klog", "k8s.io/klog/v2", "github.com/golang/glog"].contains { ctx.calls(c, $0, fatal) }
    }

    /// Logger types whose `Fatal…` logs and then calls `os.Exit(1)`, by import path and name: the
    /// standard library's, zap's (plain and sugared), logrus's (and its entries).
    static let processLoggers: Set<String> = [
        "log.Logger", "go.uber.org/zap.Logger", "go.uber.org/zap.SugaredLogger",
        "github.com/sirupsen/logrus.Logger", "github.com/sirupsen/logrus.Entry",
    ]

    /// Whether `s` calls nothing but `time.NewTicker(…)` and `time.Duration(…)` (unqualified
    /// names resolved by spelling: the check reads no types), and holds no function literal.
    static func callsOnlyTickerMakers(_ s: Stmt) -> Bool {
        !Walk.contains(s) { e in
            switch e {
            case .funcLit: return true
            case .call(let c):
                guard case .selector(.ident(let package), let name) = c.fun.unparenthesized, package.name == "time" else { return true }
                return name.name != "NewTicker" && name.name != "Duration"
            default: return false
            }
        }
    }

    /// `…; for range t.C { … }` with no way out (`endlessRangeReached`: the index of the first
    /// top-level statement after the last `return` before it, nil without such a loop), where
    /// `t` is a local made by `time.NewTicker` (or the call itself), or `for range c` with `c` a
    /// local set only to `time.NewTicker(d).C` (dendrite's cache cleaner): a ticker's channel is
    /// never closed, so the loop is endless. A return before the ticker is made (veneur's
    /// `if !enabled { return }`) leaves nothing behind.
    static func rangesOverTickerForever(_ body: [Stmt], _ ctx: CheckContext) -> Int? {
        // An HTTP handler's panic is recovered by its server: a loop there that panics ends the call
        // with the ticker running, so statements after it may run after all.
        let servesHTTP = ctx.unit.type.params.contains { field in
            ctx.packageMember(field.type.unparenthesized).map { $0 == ("net/http", "ResponseWriter") } ?? false
        }
        return endlessRangeReached(body, allowingLater: !servesHTTP, endsProcess: { endsProcess($0, ctx) },
                                   over: tickerChannels(body, ctx))
    }

    /// Whether a range loop's collection is a ticker's channel, `x.C` with `x` the call
    /// `time.NewTicker(…)` or a local of `body` set only to one, or a local set only to such a
    /// channel (`rangesOverTickerForever`).
    static func tickerChannels(_ body: [Stmt], _ ctx: CheckContext) -> (Expr) -> Bool {
        func isNewTicker(_ e: Expr) -> Bool { Lint.call(e).map { ctx.calls($0, "time", ["NewTicker"]) } ?? false }
        let declared = ctx.unit.signatureNames
        /// Whether every value the local `name` is given satisfies `test`: a local the body binds
        /// once (not a parameter a nested `:=` merely shadows).
        func alwaysSet(_ name: String, _ test: (Expr) -> Bool) -> Bool {
            guard !declared.contains(name), LostCancel.bindingCount(body, name) == 1,
                  !body.contains(where: { s in Walk.contains(s) { e in
                      if case .unary(.and, let x, _) = e { return x.unparenthesized.identName == name }
                      return false
                  } }) else { return false }
            let values = BodilessServers.Resolver.assignments(to: name, in: body)
            return !values.isEmpty && values.allSatisfy(test)
        }
        /// `x.C` where `x` is a ticker: the call itself or a local set only to one.
        func isTickerChannel(_ e: Expr) -> Bool {
            guard case .selector(let base, let field) = e.unparenthesized, field.name == "C" else { return false }
            if isNewTicker(base) { return true }
            return base.unparenthesized.identName.map { alwaysSet($0, isNewTicker) } ?? false
        }
        return { collection in
            isTickerChannel(collection) || (collection.unparenthesized.identName.map { alwaysSet($0, isTickerChannel) } ?? false)
        }
    }

    static func stoppedOrEscapes(_ name: String, definedAt: Int32, _ body: [Stmt]) -> Bool {
        var found = false
        for s in body {
            Walk.stmt(s) { x in
                if found { return false }
                switch x {
                case .selector(.ident(let id), let field) where id.name == name:
                    // t.C, t.Reset are uses; t.Stop is the release.
                    if field.name == "Stop" { found = true }
                    return false
                case .ident(let id) where id.name == name && id.pos != definedAt:
                    // Any bare use: returned, stored, passed, captured as a value.
                    found = true
                    return false
                default:
                    return true
                }
            }
            if found { return true }
        }
        return false
    }
}
