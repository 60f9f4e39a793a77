import LeakscopeGoSource

/// LS008: `for v := range ch` over a channel made in this function (or an unexported channel
/// field of the package) that nothing in the package closes and that is not handed elsewhere.
enum RangeNeverClosed {
    static func run(_ ctx: CheckContext) {
        let types = LocalTypes(ctx.unit)
        let body = ctx.unit.body.statements
        // A function that never returns keeps what it ranges over, and what its goroutines do, for
        // the process's life: nothing outlives its owner.
        if ctx.unit.startedByEndlessFunction || Lint.blocksForever(body) { return }
        forEachStatement(body) { s, _ in
            guard case .rangeStmt(_, _, _, let collection, let loopBody, let pos) = s, let name = Lint.finalName(collection),
                  !ctx.package.closedNames.contains(name),
                  // A loop that can break or return ends without a close.
                  !loopBody.statements.contains(where: { EndlessGoroutine.hasExit($0, label: nil, depth: 0) })
            else { return }
            switch collection.unparenthesized {
            case .ident:
                // A channel this function made (`make(chan T)`), which does not leave the function.
                guard let declared = types.types[name], case .chanType = declared, madeHere(name, body),
                      !escapes(name, body) else { return }
            case .selector:
                // `tt.entries` where a struct declared in a function has a field of that name
                // (a test table's slice): only a base whose named type is known (the receiver, a
                // typed local) surely holds the package type's field.
                if ctx.package.localFields.contains(name), ownerTypeName(collection, ctx, types) == nil { return }
                guard let first = name.first, first.isLowercase || first == "_",
                      case .chanType? = ctx.package.fieldTypes[name], !ctx.package.passedNames.contains(name),
                      !ctx.package.fromCalls.contains(name) else { return }
            default:
                return
            }
            let endless = ownerCannotEnd(collection, ctx, types)
            ctx.report(Checks.rangeNeverClosed, at: pos,
                       "range over channel \(name), which nothing in this package closes: the loop never ends",
                       lowConfidence: endless.map {
                           "\($0) has no Close, Stop or Shutdown: the goroutine lives as long as it does, often the process (a worker made once)"
                       } ?? onRecord)
        }
    }

    /// Why every other finding is `low` (session 34, like LS005 in session 32): a loop over a
    /// channel nobody closes is most often a worker meant to live as long as the process, which
    /// the source does not tell from one its owner should have stopped. The record on unseen
    /// code is 48 real of 178 (docs/LINT.md), and none of the 30 shown without `--tests` in the
    /// clean passes of sessions 28–33 was real.
    static let onRecord = "a range over a channel nobody closes is most often a worker meant to live as long as the process: on unseen code 48 of 178 such findings were real, none of the 30 shown without --tests in sessions 28-33"

    /// Method names that end an object's life (by prefix, any case, taking no parameter or only a
    /// context or a timeout: `endsLife`): a type with one of them is meant to be stopped, and the
    /// field's goroutine outliving that is the leak LS008 is for.
    static let lifecycleMethods = ["close", "stop", "shutdown", "cancel", "terminate", "release", "dispose", "kill",
                                   "quit", "destroy", "teardown"]

    /// Whether a method's parameters are those of something that ends an object: none, or one
    /// `context.Context` or `time.Duration` (`Close()`, `Shutdown(ctx)`, `Stop(timeout)`), not a
    /// bookkeeping method that merely starts with such a word (`releaseEventQueueBytes(size)`).
    static func endsLife(_ f: FuncDecl) -> Bool {
        let params = f.type.params.flatMap { field in Array(repeating: field.type.unparenthesized, count: max(1, field.names.count)) }
        guard let only = params.first else { return true }
        guard params.count == 1, case .selector(.ident(let package), let name) = only else { return false }
        return (package.name == "context" && name.name == "Context") || (package.name == "time" && name.name == "Duration")
    }

    /// For `x.field` where `x` is the receiver or a typed local: the owner's type name when the
    /// package gives that type no lifecycle method (then nothing can stop the object, and its
    /// ranging goroutine is as long-lived as the object by design; five of six first-pass findings
    /// of this shape were process-wide workers, docs/LINT.md). Nil otherwise.
    static func ownerCannotEnd(_ collection: Expr, _ ctx: CheckContext, _ types: LocalTypes) -> String? {
        guard let typeName = ownerTypeName(collection, ctx, types) else { return nil }
        let prefix = typeName + "."
        let ends = ctx.package.methods.contains { key, value in
            guard key.hasPrefix(prefix), endsLife(value.decl) else { return false }
            let method = key.dropFirst(prefix.count).lowercased()
            return lifecycleMethods.contains { method.hasPrefix($0) }
        }
        return ends ? nil : typeName
    }

    /// For `x.field`: the named type of `x` when the receiver, a typed local, or a typed local
    /// of the function a goroutine literal is in (`m := &T{…}; go func() { range m.ch }()`).
    static func ownerTypeName(_ collection: Expr, _ ctx: CheckContext, _ types: LocalTypes) -> String? {
        guard case .selector(let base, _) = collection.unparenthesized, let owner = base.unparenthesized.identName else { return nil }
        if let receiver = ctx.unit.receiver, receiver.names.first?.name == owner {
            return PackageFacts.receiverTypeName(receiver.type)
        } else if let type = types.types[owner] {
            return PackageFacts.receiverTypeName(type)
        } else if let enclosing = ctx.declaringUnit, let type = LocalTypes(enclosing).types[owner] {
            return PackageFacts.receiverTypeName(type)
        }
        return nil
    }

    static func madeHere(_ name: String, _ body: [Stmt]) -> Bool {
        body.contains { s in
            var made = false
            Walk.statements(s, intoFuncLits: false, { st in
                if case .assign(let lhs, _, let rhs, _) = st, lhs.count == rhs.count {
                    for (l, r) in zip(lhs, rhs) where l.identName == name {
                        if case .call(let c) = r, c.fun.identName == "make" { made = true }
                    }
                }
                return !made
            }, { _ in true })
            return made
        }
    }

    /// Whether the channel is passed to a call, returned, stored, or sent.
    static func escapes(_ name: String, _ body: [Stmt]) -> Bool {
        body.contains { s in
            var escaped = false
            Walk.statements(s, intoFuncLits: true, { st in
                switch st {
                case .returnStmt(let results, _): if results.contains(where: { $0.identName == name }) { escaped = true }
                case .assign(let lhs, _, let rhs, _):
                    if rhs.contains(where: { $0.unparenthesized.identName == name }) && !lhs.allSatisfy({ $0.identName == name }) { escaped = true }
                case .send(_, let value, _): if value.identName == name { escaped = true }
                default: break
                }
                return !escaped
            }, { x in
                if case .call(let c) = x, c.fun.identName != "len", c.fun.identName != "cap",
                   c.args.contains(where: { $0.unparenthesized.identName == name }) { escaped = true }
                if case .compositeLit(_, let elements, _, _) = x, elements.contains(where: { Walk.contains($0) { $0.identName == name } }) { escaped = true }
                return !escaped
            })
            return escaped
        }
    }
}
