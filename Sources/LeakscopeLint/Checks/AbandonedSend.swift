import LeakscopeGoSource
import LeakscopeGoSymbols

/// LS001: `ch := make(chan T)` (unbuffered), a goroutine of this function that sends on `ch`
/// outside any select, and a receiver that can stop waiting first: it receives only in a select
/// whose other case returns (or, outside loops, ends its part of the function), or it returns
/// between the `go` statement and its receive. The goroutine is a function literal, or a declared
/// function of the package started with `go f(ch)`, or a method of one of the package's named
/// types started with `go x.m(ch)` (`x` a receiver, parameter or local of declared type `T` or
/// `*T`), that only sends on that parameter.
enum AbandonedSend {
    /// Why a finding in a command's handler is `low`: the sender is stranded when the command
    /// returns, and a command-line tool exits then.
    static let commandReturns = "the function is a command's handler: the sender is stranded when the command returns, which in a command-line tool ends the process"

    /// Why a finding in a function that runs once per process is `low`.
    static let runsOnce = "\(RunsOnce.reason): one sender is stranded, not a growing number"

    static func run(_ ctx: CheckContext) {
        // A goroutine still blocked when the process exits holds nothing.
        if Lint.endsTheProcess(ctx) { return }
        let body = ctx.unit.body.statements
        forEachStatement(body) { s, _ in
            guard case .assign(let lhs, .define, let rhs, _) = s, lhs.count == 1, rhs.count == 1,
                  case .ident(let ch) = lhs[0], let make = Lint.call(rhs[0]), make.fun.identName == "make",
                  let type = make.args.first, case .chanType = type else { return }
            // Unbuffered here, or made unbuffered on some path (`ch = make(chan T)` under a
            // condition, a capacity variable that is 0 on some path): not known to be buffered.
            guard make.args.count == 1 || mayBeZero(make.args[1], body) || madeUnbuffered(ch.name, body) else { return }
            // The checks below follow the channel by name through the whole function: a second
            // declaration of the name that is not an unbuffered channel (`done := make(chan
            // error, 1)` in an inner block, shadowing this one) would be taken for it.
            guard !declaredOtherwise(ch.name, body) else { return }
            check(ch.name, body, ctx)
        }
    }

    /// Whether `capacity` is literal 0, or a local variable of the function that is 0 on some
    /// path (`n := 0` … `if x { n = 4 }`). Other non-constant capacities (`len(items)`,
    /// parameters) are taken as buffered: silence over guessing.
    static func mayBeZero(_ capacity: Expr, _ body: [Stmt]) -> Bool {
        if Lint.literalText(capacity.unparenthesized) == "0" { return true }
        guard let name = capacity.unparenthesized.identName else { return false }
        var zero = false
        forEachStatement(body) { s, _ in
            guard case .assign(let lhs, _, let rhs, _) = s, lhs.count == rhs.count else { return }
            for (l, r) in zip(lhs, rhs) where l.identName == name && Lint.literalText(r.unparenthesized) == "0" { zero = true }
        }
        return zero
    }

    /// Whether the function declares `name` (`:=`, `var`) more than once, one of them as anything
    /// but an unbuffered channel (altmount's `Stop`: an unbuffered `done` for its unmounts, a
    /// buffered `done` for the process wait in an inner block).
    static func declaredOtherwise(_ name: String, _ body: [Stmt]) -> Bool {
        var declarations = 0
        var other = false
        func declared(_ value: Expr?) {
            declarations += 1
            if !(value.map(isUnbufferedMake) ?? false) { other = true }
        }
        forEachStatement(body) { s, _ in
            switch s {
            case .assign(let lhs, .define, let rhs, _):
                for (index, x) in lhs.enumerated() where x.identName == name {
                    declared(lhs.count == rhs.count ? rhs[index] : nil)
                }
            case .decl(let decl):
                for case .value(let names, _, let values) in decl.specs {
                    for (index, n) in names.enumerated() where n.name == name {
                        declared(names.count == values.count ? values[index] : nil)
                    }
                }
            default: break
            }
        }
        return declarations > 1 && other
    }

    /// Whether the function also assigns `name = make(chan T)` (unbuffered) somewhere.
    static func madeUnbuffered(_ name: String, _ body: [Stmt]) -> Bool {
        var found = false
        forEachStatement(body) { s, _ in
            guard case .assign(let lhs, .assign, let rhs, _) = s, lhs.count == 1, rhs.count == 1,
                  lhs[0].identName == name, isUnbufferedMake(rhs[0]) else { return }
            found = true
        }
        return found
    }

    /// Whether `e` is `make(chan T)` or `make(chan T, 0)`.
    static func isUnbufferedMake(_ e: Expr) -> Bool {
        guard let make = Lint.call(e), make.fun.identName == "make", let type = make.args.first, case .chanType = type else { return false }
        return make.args.count == 1 || Lint.literalText(make.args[1].unparenthesized) == "0"
    }

    /// A goroutine that sends on the channel: its body, the channel's name in that body, and for
    /// a declared function started with `go f(ch)` its file and runtime name.
    struct Sender {
        var go: Int32
        var body: [Stmt]
        var channel: String
        /// Caller-side names of the channels the body sends on (parameters mapped to arguments).
        var callerNames: [String: String]
        var callee: (name: String, file: SourceFile)?
    }

    /// The sender goroutine a `go` statement starts for channel `name`, if it is one: a function
    /// literal that sends on `name`, or `go f(…, name, …)` where `f` is a declared function of
    /// the package that uses that parameter only to send on it. `escapes` is set when `name` is
    /// handed to a call that may do anything else with it.
    static func sender(_ call: Call, at pos: Int32, _ name: String, _ context: CheckContext, escapes: inout Bool) -> Sender? {
        if case .funcLit(_, let b) = call.fun {
            return Sender(go: pos, body: b.statements, channel: name, callerNames: [:], callee: nil)
        }
        guard let index = call.args.firstIndex(where: { $0.identName == name }) else { return nil }
        guard let (decl, file, runtimeName) = declared(call.fun, context), decl.type.typeParams.isEmpty,
              let body = decl.body?.statements else {
            escapes = true
            return nil
        }
        var parameters: [String] = []
        for field in decl.type.params {
            if field.isVariadic { break }
            parameters += field.names.isEmpty ? ["_"] : field.names.map(\.name)
        }
        guard index < parameters.count, parameters[index] != "_" else { escapes = true; return nil }
        let parameter = parameters[index]
        // Every mention of the parameter is the channel of a plain send.
        var mentions = 0
        for s in body { Walk.stmt(s) { x in if x.identName == parameter { mentions += 1 }; return true } }
        let sends = plainSends(parameter, body)
        guard !sends.isEmpty, mentions == sends.count else { escapes = true; return nil }
        var callerNames: [String: String] = [:]
        for (i, argument) in call.args.enumerated() where i < parameters.count {
            if let caller = argument.identName { callerNames[parameters[i]] = caller }
        }
        return Sender(go: pos, body: body, channel: parameter, callerNames: callerNames, callee: (runtimeName, file))
    }

    /// The declaration `fun` names, its file and its runtime name: a declared function `f`, or a
    /// method `x.m` of the package's type `T` when `x`'s declared type is `T` or `*T`.
    static func declared(_ fun: Expr, _ context: CheckContext) -> (FuncDecl, SourceFile, String)? {
        let packagePath = GoSymbol.runtimePackagePath(context.package.path)
        switch fun {
        case .ident(let f):
            // A local of the same name (`serve := func(…) {…}`) hides the package's function.
            let parameters = context.unit.type.params.flatMap { $0.names.map(\.name) }
            guard !parameters.contains(f.name), LostCancel.bindingCount(context.unit.body.statements, f.name) == 0,
                  let decl = context.package.functions[f.name], let file = context.package.functionFiles[f.name] else { return nil }
            return (decl, file, packagePath + "." + f.name)
        case .selector(let base, let m):
            guard base.identName != nil, let type = LocalTypes(context.unit).type(of: base, facts: context.package),
                  let typeName = PackageFacts.receiverTypeName(type), let (decl, file) = context.package.methods[typeName + "." + m.name],
                  let receiver = decl.receiver else { return nil }
            return (decl, file, packagePath + "." + Lint.receiverName(receiver.type) + "." + m.name)
        default:
            return nil
        }
    }

    /// `<-t.Context().Done()` where `t` is this function's own `*testing.T` (B, F, TB): that
    /// context is cancelled only after the function has returned, so the case cannot fire while
    /// it runs and is no way out of it.
    static func awaitsOwnTestEnd(_ comm: Stmt?, _ ctx: CheckContext) -> Bool {
        guard case .expr(let x)? = comm, case .unary(.arrow, let operand, _) = x.unparenthesized,
              let done = Lint.call(operand), done.args.isEmpty, case .selector(let contextCall, let d) = done.fun.unparenthesized,
              d.name == "Done", let c = Lint.call(contextCall), c.args.isEmpty,
              case .selector(let base, let m) = c.fun.unparenthesized, m.name == "Context",
              let tester = base.unparenthesized.identName else { return false }
        return ctx.unit.type.params.contains { field in
            var type = field.type.unparenthesized
            if case .star(let inner, _) = type { type = inner.unparenthesized }
            guard let member = ctx.packageMember(type), member.path == "testing",
                  ["T", "B", "F", "TB"].contains(member.name) else { return false }
            return field.names.contains { $0.name == tester }
        }
    }

    static func check(_ name: String, _ body: [Stmt], _ context: CheckContext) {
        // `defer close(ch)` at the top level: on every return the channel is closed, and a
        // sender still waiting panics instead of blocking for good.
        for case .deferCall(let c, _) in body where c.fun.identName == "close" && c.args.count == 1 && c.args[0].identName == name {
            return
        }
        // Goroutines that send on the channel with a plain send.
        var sends: [(sender: Sender, send: Int32)] = []
        var plainReceives: [Int32] = []
        // `endingOther`: outside loops, a case that neither receives nor returns ends the
        // function's part in the exchange when nothing else receives.
        // `othersAwaitEnd`: every returning case only waits for a runner's context to end or a
        // process signal, or the select runs only after such a case was taken.
        var afterEndMemo: Set<Int32>?
        func afterEnd(_ select: Int32) -> Bool {
            if afterEndMemo == nil { afterEndMemo = RunnerLifetimes.selectsAfterEnd(body, context) }
            return afterEndMemo!.contains(select)
        }
        var selectReceives: [(select: Stmt, returningOther: Int32?, endingOther: Int32?, othersAwaitEnd: Bool)] = []
        var escapes = false
        var ignored = false
        // Channels a sender also sends on (`errCh` beside `metaCh`) when it sends once, outside
        // loops: it then sends on exactly one of them, a select over both takes that send, and a
        // select case on a sibling is not a way out for the receiver. (A sender that loops sends
        // again after the receiver took one value and left.)
        var siblings = Set<String>()
        var finals = Set<String>()
        // The one server whose `Serve` error every sender's send depends on (ServerStops).
        var gates: [(server: String, closedExcluded: Bool)?] = []
        // Channels a sender closes once it is done sending (yaegi's REPL: `defer close(end)`):
        // a case receiving from one is taken only after the sends were received.
        // (Nil until the first sender is seen: the set is what all of them close.)
        var closedAfterSending: Set<String>?
        // Senders that close such a channel: the one reported is another, if there is one (it is
        // the one a return through that case can strand).
        var closingSenders = Set<Int32>()
        // Whether every sender sends at most once on any path (`sendsOncePerPath`): then a
        // receiver outside loops, which takes one value, has taken it before such a close.
        var closesAfterOneSend = true
        // The timer each sender's sends wait on `Stop` of (TimerHandshakes; nil: not guarded).
        var handshakes: [String?] = []
        forEachStatement(body) { s, frames in
            guard case .go(let call, let pos) = s, let sender = sender(call, at: pos, name, context, escapes: &ignored),
                  !plainSends(sender.channel, sender.body).isEmpty else { return }
            // A `go` in a loop starts several senders: one's close says nothing of the others'.
            let many = frames.contains { $0.kind == .loop }
            gates.append(sender.callee == nil ? ServerStops.gatingServer(sender.channel, sender.body) : nil)
            handshakes.append(sender.callee == nil ? stopGuardingTimer(sender.channel, sender.body, function: body, context) : nil)
            // Every sender must close it: one that does not is stranded when another's close fires.
            let closed = many ? [] : closedAfterSends(sender, function: body)
            closedAfterSending = closedAfterSending.map { $0.intersection(closed) } ?? closed
            if !closed.isEmpty { closingSenders.insert(pos) }
            // The channel handed to one parameter only: a second one could send as well.
            let handedOnce = sender.callee == nil || call.args.filter({ $0.identName == name }).count == 1
            if !handedOnce || !sendsOncePerPath(sender) { closesAfterOneSend = false }
            var channels = Set<String>()
            var loops = false
            forEachStatement(sender.body) { inner, frames in
                guard case .send(let channel, _, _) = inner, let other = channel.identName else { return }
                channels.insert(sender.callee == nil ? other : sender.callerNames[other] ?? "")
                // A send in a loop that the goroutine then leaves by `return` happens once.
                if frames.contains(where: { $0.kind == .loop }) && !returnsAfter(frames) { loops = true }
            }
            if !loops { siblings.formUnion(channels.filter { !$0.isEmpty }) }
            // A channel whose every send is the sender's last act (followed by return, or the end
            // of its body): a receiving loop that took from it and returns leaves no sender behind.
            // (Outside loops the receiver took one value only, and a looping sender may still send.)
            var last: [String: Bool] = [:]
            forEachStatement(sender.body) { inner, frames in
                guard case .send(let channel, _, _) = inner, let other = channel.identName, let frame = frames.last else { return }
                let next = frame.next
                var final = frames.count == 1 && next == nil
                if case .returnStmt? = next { final = true }
                last[other] = (last[other] ?? true) && final
            }
            for (other, final) in last where final {
                let caller = sender.callee == nil ? other : sender.callerNames[other] ?? ""
                if !caller.isEmpty && caller != name { finals.insert(caller) }
            }
        }
        // Every sender sends only after stopping the same timer: its case is no way out.
        let handshake = Set(handshakes).count == 1 ? handshakes.first ?? nil : nil
        // Handed to the call in a `range` header: the callee receives, and feeds the loop.
        var handoffs: [(call: Expr, exit: Int32?)] = []
        forEachStatement(body) { s, frames in
            if case .rangeStmt(_, _, _, let collection, let loop, _) = s, let c = Lint.call(collection),
               c.args.contains(where: { $0.identName == name }) {
                handoffs.append((c.fun, loopExit(loop.statements)))
            }
            switch s {
            case .go(let call, let pos):
                if let sender = sender(call, at: pos, name, context, escapes: &escapes) {
                    for send in plainSends(sender.channel, sender.body) { sends.append((sender, send)) }
                    // The sender starts the workers that drain the channel until it is closed
                    // (policy-engine's feeder, session 34): they take every value it sends,
                    // whatever this function does.
                    if sender.callee == nil, startsDrainersFirst(sender.body, name) { escapes = true }
                }
                // A worker that takes from the channel until it is closed (`for range`, session 10;
                // a comma-ok receive loop, session 11) is its receiver, and it outlives this
                // function's returns.
                if drainsToClose(call, name) { escapes = true }
                // A goroutine looping until it receives from the channel takes a single send.
                if waitsForReceive(call, name), sendsAtMostOnce(name, body) { escapes = true }
            case .select(let clauses, let selectPos):
                let receiving = clauses.contains { isReceive($0.comm, name) }
                guard receiving else { break }
                let inLoop = frames.contains { $0.kind == .loop }
                // The final-channel exemption holds only when the loop's one way out is a case
                // taking that channel: no other return, no `break`/`goto` out of it.
                var onlyFinalExit = false
                if inLoop, let loop = frames.last(where: { $0.kind == .loop }) {
                    var exits = 0
                    forEachStatement(loop.list) { inner, _ in
                        if case .returnStmt = inner { exits += 1 }
                        if case .branch(let kind, let label, _) = inner, kind == .kwGoto || (kind == .kwBreak && label != nil) { exits += 100 }
                    }
                    var finalReturns = 0
                    for clause in clauses where finals.contains(where: { isReceive(clause.comm, $0) }) {
                        forEachStatement(clause.body) { inner, _ in if case .returnStmt = inner { finalReturns += 1 } }
                    }
                    onlyFinalExit = exits == finalReturns
                }
                var other: Int32?
                var othersAwaitEnd = true
                var ending: Int32?
                for clause in clauses where clause.comm != nil && !isReceive(clause.comm, name)
                    && !awaitsOwnTestEnd(clause.comm, context)
                    && !neverTaken(clause.comm, context)
                    && !siblings.contains(where: { isReceive(clause.comm, $0) })
                    // Only a loop that goes on receiving takes every send before that case, or a
                    // single receive when each sender sends at most once before closing (or closes
                    // only on paths that do not send: `errc <- err; return` … `close(done)`), and
                    // that receive is the function's one way past the exchange (`awaitsOnly`).
                    && !((closedAfterSending ?? []).contains(where: { isReceive(clause.comm, $0) })
                         && (inLoop || (closesAfterOneSend && awaitsOnly(s, frames, clauses, name, body))))
                    && !(onlyFinalExit && finals.contains(where: { isReceive(clause.comm, $0) }))
                    && !(gates.count == 1 && gates[0].map { ServerStops.stops(clause.body, $0) } == true)
                    && !drainsInBackground(clause.body, name, function: body)
                    && !signalledAfterDrain(clause.comm, clauses: clauses, name, function: body)
                    && !(handshake.map { receivesFromTimer(clause.comm, $0) } ?? false) {
                    if let r = firstReturn(clause.body) {
                        other = r
                        othersAwaitEnd = othersAwaitEnd && (RunnerLifetimes.awaitsEnd(clause.comm, context) || afterEnd(selectPos))
                    } else if !inLoop && !clause.body.contains(where: { Lint.mentions($0, name) }) {
                        ending = ending ?? clause.pos
                    }
                }
                selectReceives.append((s, other, ending, othersAwaitEnd))
            default:
                for x in TimerInLoop.ownExpressions(s) {
                    Walk.expr(x, intoFuncLits: false) { e in
                        // A deferred or returned closure that uses the channel may receive later.
                        if case .funcLit = e, Lint.mentions(e, name) { escapes = true }
                        if case .unary(.arrow, let operand, let pos) = e, operand.identName == name { plainReceives.append(pos) }
                        // Stored in a composite literal (`&stream{done: done}`): it leaves with it.
                        if case .compositeLit(_, let elements, _, _) = e, elements.contains(where: { element in
                            if case .keyValue(_, let value, _) = element { return value.unparenthesized.identName == name }
                            return element.unparenthesized.identName == name
                        }) { escapes = true }
                        if case .call(let c) = e, !["len", "cap", "close"].contains(c.fun.identName ?? ""),
                           c.args.contains(where: { $0.identName == name }) { escapes = true }
                        return true
                    }
                }
                if case .rangeStmt(_, _, _, let collection, _, let pos) = s, collection.identName == name { plainReceives.append(pos) }
                // The channel, or its address (`return &ch`), leaves with a result or a variable.
                func isChannel(_ e: Expr) -> Bool {
                    if case .unary(.and, let x, _) = e.unparenthesized { return x.identName == name }
                    return e.identName == name
                }
                if case .returnStmt(let results, _) = s, results.contains(where: isChannel) { escapes = true }
                if case .assign(_, _, let rhs, _) = s, rhs.contains(where: isChannel) { escapes = true }
                // `var out <-chan T = ch`: a second name for it, which leaves when it is handed to a
                // call, returned, stored or sent (fleet-server's mock feeds); a name only received
                // from here is not followed, and the first one's receives alone count.
                if case .decl(let decl) = s {
                    for case .value(let names, _, let values) in decl.specs where names.count == values.count {
                        for (alias, value) in zip(names, values) where isChannel(value)
                            && RangeNeverClosed.escapes(alias.name, body) { escapes = true }
                    }
                }
                // Sent to another goroutine (`w.output <- ch`): that one receives, later.
                if case .send(_, let value, _) = s, value.unparenthesized.identName == name { escapes = true }
            }
        }
        guard !escapes, let sender = sends.first(where: { !closingSenders.contains($0.sender.go) }) ?? sends.first else { return }
        // `go f(ch)`: the send is in f; the finding is reported there and names the go statement.
        var subject = "goroutine sends on unbuffered channel \(name)"
        if let callee = sender.sender.callee {
            let start = context.file.position(of: sender.sender.go).line
            let short = callee.name.split(separator: ".").last.map(String.init) ?? callee.name
            subject = "goroutine \(short), started on \(context.file.path):\(start), sends on unbuffered channel \(name)" + (sender.sender.channel == name ? "" : " (its parameter \(sender.sender.channel))")
        }
        // A command's handler returns when the command ends, which in a command-line tool ends the
        // process: the stranded sender holds nothing for long (incus, go-swagger; docs/LINT.md).
        // Every path that strands the sender returns an error: low if that error ends the process.
        let errorPaths = ErrorExits.strandingReturnsAreErrors(body, after: sender.sender.go, receiving: siblings.union([name]),
                                                              results: context.unit.type.results, imports: context.imports)
        // (`byReturn`: the function's return strands it, not a receiver's or a range loop's end.)
        func emit(_ message: String, _ related: Int32, _ relatedText: String, runnerEnd: Bool = false, byReturn: Bool = true,
                  narrowRace: Bool = false) {
            let command = Lint.isCommandHandler(context) ? commandReturns
                : runnerEnd ? RunnerLifetimes.note
                : narrowRace ? GuardedSends.note
                : sends.allSatisfy({ readsStandardInput($0.sender.body, scope: $0.sender.callee == nil ? body : $0.sender.body, context) })
                ? promptReader
                : sends.allSatisfy({ readsHandlerStreamOnce($0.sender, context) }) ? streamInitReader : nil
            if let callee = sender.sender.callee {
                context.report(Checks.abandonedSend, in: callee.file, function: callee.name, at: sender.send, message,
                               related: [related], relatedText: relatedText, lowConfidence: command, lowIfRunsOnce: runsOnce,
                               lowIfErrorEndsProcess: byReturn && errorPaths)
            } else {
                context.report(Checks.abandonedSend, at: sender.send, message, related: [related], relatedText: relatedText,
                               lowConfidence: command, lowIfRunsOnce: runsOnce, lowIfErrorEndsProcess: byReturn && errorPaths)
            }
        }
        // The receiver is the callee of a range header: it takes from the channel only while the
        // loop takes its results. A loop that can stop early (return, break) stops the callee at
        // its next result send, and the sender then blocks on `name`.
        if !handoffs.isEmpty {
            guard let handoff = handoffs.first(where: { $0.exit != nil }), let exit = handoff.exit else { return }
            let callee = Lint.text(handoff.call) ?? "the callee"
            let line = context.file.position(of: exit).line
            emit("\(subject), whose receiver \(callee) feeds a range loop that can stop on line \(line): \(callee) then stops receiving and this send blocks forever",
                 exit, "the loop over \(callee)'s results stops here", byReturn: false)
            return
        }
        // A select that can take another, returning, case first.
        if plainReceives.isEmpty, let abandoned = selectReceives.first(where: { $0.returningOther != nil }) {
            let line = context.file.position(of: abandoned.returningOther!).line
            // A return between the `go` statement and that select strands the sender whatever
            // the select waits for.
            var returnsBefore = false
            forEachStatement(body) { s, _ in
                if case .returnStmt(_, let p) = s, p > sender.sender.go, p < abandoned.select.pos { returnsBefore = true }
            }
            // The one select waits only for the value or a context's end, and every sender
            // checks that context right before it sends (GuardedSends).
            let narrowRace = !returnsBefore && selectReceives.count == 1
                && GuardedSends.narrowRace(name, senders: sends.map(\.sender), selectPos: abandoned.select.pos, siblings: siblings, context)
            emit("\(subject), but the receiver may return on line \(line) without receiving: this send then blocks forever",
                 abandoned.returningOther!, "returns without receiving from \(name)",
                 runnerEnd: !returnsBefore && selectReceives.allSatisfy { $0.returningOther == nil || $0.othersAwaitEnd },
                 narrowRace: narrowRace)
            return
        }
        // The only receive is one select, outside loops, with a case that does not receive; for
        // senders started with `go f(ch)` only (tuned: with function literals this fired 27 times
        // on the session-7 trees, nearly all tests whose timeout case fails the test).
        if plainReceives.isEmpty, selectReceives.count == 1, sender.sender.callee != nil,
           let ending = selectReceives[0].endingOther {
            let line = context.file.position(of: ending).line
            emit("\(subject), but the receiver may take the case on line \(line) and never receive: this send then blocks forever",
                 ending, "takes this case and never receives from \(name)")
            return
        }
        func receivesOutsideLiterals(_ s: Stmt) -> Bool {
            receivesFrom(s, name) || isRangeOver(s, name) || {
                if case .select(let clauses, _) = s { return clauses.contains { isReceive($0.comm, name) } }
                return false
            }()
        }
        // When the function never receives itself, the goroutine literals it starts that do are
        // the receivers.
        var ownReceive = false
        forEachStatement(body) { s, _ in if !ownReceive, receivesOutsideLiterals(s) { ownReceive = true } }
        let receivers = ownReceive ? [] : receivingGoroutines(body, name, except: sender.sender.go)
        // Only a receiver started unconditionally in the sender's own statement list counts.
        func isReceiverStart(_ s: Stmt) -> Bool {
            if case .go(_, let pos) = s { return receivers.contains { $0.go == pos } }
            return false
        }
        let once = sendsAtMostOnce(name, body)
        // A return between the go statement and the receive.
        forEachStatement(body) { s, frames in
            guard case .go(_, let pos) = s, pos == sender.sender.go, let frame = frames.last else { return }
            var receiverStarted = frame.list[..<frame.index].contains(where: isReceiverStart)
            for later in frame.list[(frame.index + 1)...] {
                if receivesOutsideLiterals(later) { return }
                if isReceiverStart(later) { receiverStarted = true }
                guard let r = firstReturn([later]) else { continue }
                // The one receiver was started by then: the function's return does not matter,
                // the send blocks once that receiver stops receiving. Silent when it never stops
                // (an endless loop with no way out) or, for a single send, takes the value first
                // or loops until it has.
                if receiverStarted, receivers.count == 1 {
                    let receiver = receivers[0]
                    if receivesForever(receiver.body, name)
                        || once && (receivesFirst(receiver.body, name) || loopsUntilReceived(receiver.body, name)) { return }
                    if let stop = stopsReceiving(receiver.body, name) {
                        let start = context.file.position(of: receiver.go).line
                        let line = context.file.position(of: stop).line
                        emit("\(subject), but its receiver, the goroutine started on line \(start), can return on line \(line) without receiving: this send then blocks forever",
                             stop, "the receiver returns here without receiving from \(name)",
                             runnerEnd: RunnerLifetimes.receiverStopsAtEnd(receiver.body, stop: stop, context), byReturn: false)
                        return
                    }
                }
                // Stranded at an earlier send on another channel first (SequentialSends).
                if waitsBehindEarlierSend(sender.sender, send: sender.send, name, function: body) { return }
                let line = context.file.position(of: r).line
                emit("\(subject), but the function can return on line \(line) before receiving: this send then blocks forever",
                     r, "returns before receiving from \(name)")
                return
            }
        }
    }

    /// The first statement that leaves a loop body early: a return, or a `break` of this loop
    /// (not of a nested loop, switch or select); function literals not included.
    static func loopExit(_ statements: [Stmt]) -> Int32? {
        var found: Int32?
        forEachStatement(statements) { s, frames in
            guard found == nil else { return }
            if case .returnStmt(_, let pos) = s { found = pos }
            if case .branch(.kwBreak, let label, let pos) = s, label == nil,
               !frames.contains(where: { $0.kind == .loop || $0.kind == .clause }) {
                found = pos
            }
        }
        return found
    }

    /// Whether `s` receives from `name` (`<-name` anywhere in it, function literals not included).
    static func receivesFrom(_ s: Stmt, _ name: String) -> Bool {
        Walk.contains(s, intoFuncLits: false) { e in
            if case .unary(.arrow, let operand, _) = e { return operand.identName == name }
            return false
        }
    }

    static func isRangeOver(_ s: Stmt, _ name: String) -> Bool {
        if case .rangeStmt(_, _, _, let c, _, _) = s { return c.identName == name }
        return false
    }

    static func isReceive(_ comm: Stmt?, _ name: String) -> Bool {
        receivedOperand(comm)?.identName == name
    }

    /// The channel expression a select case's communication receives from (`<-x`, `v := <-x`,
    /// `v, ok = <-x`); nil for a send or `default`.
    static func receivedOperand(_ comm: Stmt?) -> Expr? {
        switch comm {
        case .expr(.unary(.arrow, let x, _))?: return x
        case .assign(_, _, let rhs, _)?:
            if rhs.count == 1, case .unary(.arrow, let x, _) = rhs[0] { return x }
            return nil
        default: return nil
        }
    }

    /// Whether the select `s` (outside loops) is where the function waits for the exchange and
    /// nothing else: a statement of the body's top level with no `default`, the only statement
    /// receiving from `name`, every send on `name` in the function a plain send of a goroutine
    /// (none from a select case or another function literal's select: a watchdog that sends too),
    /// and no label or `goto` anywhere in the function (a loop written without `for`).
    static func awaitsOnly(_ s: Stmt, _ frames: [Frame], _ clauses: [CommClause], _ name: String, _ body: [Stmt]) -> Bool {
        guard frames.count == 1, !clauses.contains(where: { $0.comm == nil }) else { return false }
        guard !Lint.jumps(body) else { return false }
        var receivers = 0
        var selectSends = 0
        for statement in body {
            Walk.statements(statement, intoFuncLits: true, { st in
                if case .select(let cs, _) = st {
                    for c in cs {
                        if case .send(let channel, _, _)? = c.comm, channel.identName == name { selectSends += 1 }
                    }
                }
                return true
            }, { _ in true })
            if receivesFrom(statement, name) || isRangeOver(statement, name) { receivers += 1 }
        }
        return selectSends == 0 && receivers == 1 && receivesFrom(s, name)
    }

    /// Whether a sender sends on its channel at most once on any path: no send in a loop, and one
    /// send statement in all, or every one its last act (followed by `return`, or ending the body);
    /// every mention of the channel in the body, function literals included, one of those plain
    /// sends (none in a deferred literal, a closure, a select case or a call's arguments); and no
    /// label or `goto` (a loop written without `for`).
    static func sendsOncePerPath(_ sender: Sender) -> Bool {
        var count = 0
        var looping = false
        var notLast = 0
        forEachStatement(sender.body) { s, frames in
            guard case .send(let channel, _, _) = s, channel.identName == sender.channel, let frame = frames.last else { return }
            count += 1
            if frames.contains(where: { $0.kind == .loop }) { looping = true }
            let next = frame.next
            var last = frames.count == 1 && next == nil
            if case .returnStmt? = next { last = true }
            if !last { notLast += 1 }
        }
        var mentions = 0
        for s in sender.body {
            Walk.statements(s, intoFuncLits: true, { _ in true }, { e in
                if e.identName == sender.channel { mentions += 1 }
                return true
            })
        }
        return !looping && !Lint.jumps(sender.body) && mentions == count && (count <= 1 || notLast == 0)
    }

    /// Plain sends `name <- v` in a goroutine body (not select cases, not nested function literals).
    static func plainSends(_ name: String, _ body: [Stmt]) -> [Int32] {
        var found: [Int32] = []
        forEachStatement(body) { s, _ in
            if case .send(let channel, _, let pos) = s, channel.identName == name { found.append(pos) }
        }
        return found
    }

    /// Whether a sender literal's `body` starts a worker draining `name` until it is closed
    /// (`drainsToClose`) before anything in it sends on `name`: as one of its top-level statements,
    /// or as a top-level statement of a loop that is one (`for i := 0; i < n; i++ { go … }`, a
    /// pool whose size is taken to be positive), not under a condition.
    static func startsDrainersFirst(_ body: [Stmt], _ name: String) -> Bool {
        for s in body {
            if !plainSends(name, [s]).isEmpty { return false }
            var starts = [s]
            if case .forStmt(_, _, _, let loop, _) = s { starts = loop.statements }
            if case .rangeStmt(_, _, _, _, let loop, _) = s { starts = loop.statements }
            if starts.contains(where: { if case .go(let worker, _) = $0 { return drainsToClose(worker, name) }; return false }) {
                return true
            }
        }
        return false
    }

    /// The `go func() { … }()` statements of `body` (other than the sender's, at `except`) whose
    /// literal receives from `name` itself, not in a nested literal.
    static func receivingGoroutines(_ body: [Stmt], _ name: String, except: Int32) -> [(go: Int32, body: [Stmt])] {
        var found: [(go: Int32, body: [Stmt])] = []
        forEachGoLiteral(body) { pos, _, literal in
            if pos != except, literal.contains(where: { receivesFrom($0, name) || isRangeOver($0, name) }) {
                found.append((pos, literal))
            }
        }
        return found
    }

    /// Where a receiving goroutine can stop receiving: a `return` before its first receive, or,
    /// in the statement that receives (a loop, a select), one outside the select cases that take
    /// `name` (function literals not included). Nil when there is no such `return` (it may still
    /// stop another way: the caller then names the function's own return, as before).
    static func stopsReceiving(_ statements: [Stmt], _ name: String) -> Int32? {
        var found: Int32?
        func visit(_ list: [Stmt]) {
            for s in list where found == nil {
                switch s {
                case .returnStmt(_, let pos): found = pos
                case .select(let clauses, _): for c in clauses where !isReceive(c.comm, name) { visit(c.body) }
                case .labeled(_, let inner): visit([inner])
                case .block(let b): visit(b.statements)
                case .ifStmt(let i):
                    visit(i.body.statements)
                    if let e = i.elseBranch { visit([e]) }
                case .switchStmt(_, _, let clauses, _), .typeSwitch(_, _, let clauses, _): for c in clauses { visit(c.body) }
                case .forStmt(_, _, _, let b, _), .rangeStmt(_, _, _, _, let b, _): visit(b.statements)
                default: break
                }
            }
        }
        for (index, s) in statements.enumerated() {
            let receives = receivesFrom(s, name) || isRangeOver(s, name)
            visit([s])
            if found != nil { return found }
            // A select at the top that may take another case and then never receive again: the
            // goroutine runs off its end without receiving (octelium's watcher of SIGTERM, the
            // sender's errors and the device's end; docs/LINT.md session 29).
            if case .select(let clauses, _) = s, clauses.contains(where: { isReceive($0.comm, name) }),
               let other = clauses.first(where: { c in
                   !isReceive(c.comm, name) && !c.body.contains { receivesFrom($0, name) || isRangeOver($0, name) } }),
               !statements[(index + 1)...].contains(where: { receivesFrom($0, name) || isRangeOver($0, name) }) {
                return other.pos
            }
            if receives { return found }
        }
        return nil
    }

    /// The first return statement in `statements` (nested blocks included, function literals not).
    static func firstReturn(_ statements: [Stmt]) -> Int32? {
        var found: Int32?
        forEachStatement(statements) { s, _ in
            if found == nil, case .returnStmt(_, let pos) = s { found = pos }
        }
        return found
    }
}
