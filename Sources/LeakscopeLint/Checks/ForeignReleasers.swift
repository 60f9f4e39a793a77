import LeakscopeGoSource

/// LS006: a lock handed to an object that belongs to the lock's owner, and released through the
/// object's field that points back at the owner.
///
/// cubefs's `OpenStream` locks `client.streamerLock`, takes `s` from `client.streamers` (or
/// makes it with `NewStreamer(client, …)`), and ends with `return s.IssueOpenRequest()`, which
/// queues the request and unlocks `s.client.streamerLock`; another path unlocks
/// `s.client.streamerLock` itself. The object must be tied to the owner on every assignment —
/// an element of one of the owner's fields, a literal whose field is set to the owner, or the
/// result of a package function given the owner — so that its field is the owner, not another
/// object of the same type.
extension LockRelease {
    /// Whether `call` is `x.m(…)` on such an object `x` of the package's type `T2`, where `T2.m`
    /// has a field `f` of the owner's type and gives up `<its receiver>.f<rest>` for good
    /// (`endsReleased`) with an unlock as its first act on it.
    /// `ownerType` answers the owner's package type (`ownerTypeName`), computed once by the caller.
    static func callsForeignReleaser(_ call: Call, owner: String, ownerType: () -> String?, rest: Substring, unlock: String,
                                     lock: String, _ ctx: CheckContext) -> Bool {
        guard case .selector(let base, let method) = call.fun.unparenthesized, let local = base.unparenthesized.identName,
              local != owner, let ownerType = ownerType(),
              // Cheap first: some type of the package has the method and a field of the owner's type.
              ctx.package.structFields.contains(where: { type, fields in
                  ctx.package.methods["\(type).\(method.name)"] != nil
                      && fields.values.contains { typeKey($0) == ownerType }
              }),
              let calleeType = ownedLocalType(local, owner: owner, ownerType, ctx),
              let decl = ctx.package.methods["\(calleeType).\(method.name)"]?.decl,
              let body = decl.body, let receiver = decl.receiver?.names.first?.name, receiver != "_" else { return false }
        let fields = (ctx.package.structFields[calleeType] ?? [:]).filter { typeKey($0.value) == ownerType }
        return fields.keys.sorted().contains { field in givesUp(body, on: receiver + "." + field + rest, unlock: unlock, lock: lock) }
    }

    /// Whether `x` is `y.f<rest>.<one of unlocks>()` with `y` such an object, `f` a field of the
    /// owner's type in `y`'s type.
    static func unlocksThroughField(_ x: Expr, owner: String, ownerType: () -> String?, rest: Substring, unlocks: Set<String>,
                                    _ ctx: CheckContext) -> Bool {
        guard case .call(let c) = x, c.args.isEmpty, let (target, method) = Lint.methodCall(c), unlocks.contains(method),
              let text = Lint.text(target), text.hasSuffix(rest), let ownerType = ownerType() else { return false }
        let head = text.dropLast(rest.count).split(separator: ".")
        guard head.count == 2, String(head[0]) != owner else { return false }
        let field = String(head[1])
        func pointsBack(_ type: String) -> Bool {
            ctx.package.structFields[type]?[field].flatMap(typeKey) == ownerType
        }
        guard ctx.package.structFields.keys.contains(where: pointsBack),
              let type = ownedLocalType(String(head[0]), owner: owner, ownerType, ctx) else { return false }
        return pointsBack(type)
    }

    /// The type of the lock's owner: the enclosing method's receiver, or a typed local or
    /// parameter, of this package (`T`) or another (`gorocksdb.DB`, session 30: ZanRedisDB's
    /// iterator keeps the database read-locked until its `Close`).
    static func ownerTypeName(_ owner: String, _ ctx: CheckContext) -> String? {
        if let receiver = ctx.unit.receiver, receiver.names.first?.name == owner {
            return typeKey(receiver.type)
        }
        return LocalTypes(ctx.unit).types[owner].flatMap(typeKey)
    }

    /// A named type's name without pointer and type arguments: `T` for the package's own, the
    /// written `pkg.T` for another package's (compared as written, within one file's imports).
    static func typeKey(_ type: Expr) -> String? {
        if let own = PackageFacts.receiverTypeName(type) { return own }
        var t = type.unparenthesized
        if case .star(let inner, _) = t { t = inner.unparenthesized }
        guard case .selector(.ident(let package), let name) = t else { return nil }
        return package.name + "." + name.name
    }

    /// The package type `T2` (not the owner's) of local `local` when every value the function
    /// gives it belongs to `owner`: `owner.f[k]` where the owner's field `f` holds `T2` or `*T2`
    /// elements, `&T2{…, g: owner, …}`, or a package function's call with `owner` among its
    /// arguments whose first result is `T2` or `*T2`. Nil when any value is something else or
    /// they disagree.
    static func ownedLocalType(_ local: String, owner: String, _ ownerType: String, _ ctx: CheckContext) -> String? {
        let values = BodilessServers.Resolver.assignments(to: local, in: ctx.unit.body.statements)
        guard !values.isEmpty else { return nil }
        var found = Set<String>()
        for value in values {
            var v = value.unparenthesized
            if case .unary(.and, let inner, _) = v { v = inner.unparenthesized }
            switch v {
            case .index(.selector(let base, let field), _, _) where base.unparenthesized.identName == owner:
                guard let container = ctx.package.structFields[ownerType]?[field.name] else { return nil }
                switch container.unparenthesized {
                case .mapType(_, let element, _), .arrayType(_, let element, _):
                    guard let name = PackageFacts.receiverTypeName(element) else { return nil }
                    found.insert(name)
                default:
                    return nil
                }
            case .compositeLit(let type?, let elements, _, _):
                let linked = elements.contains { element in
                    if case .keyValue(_, let value, _) = element { return value.unparenthesized.identName == owner }
                    return false
                }
                guard linked, let name = type.unparenthesized.identName else { return nil }
                found.insert(name)
            case .call(let c):
                guard c.args.contains(where: { $0.unparenthesized.identName == owner }), let f = c.fun.identName,
                      let result = ctx.package.functions[f]?.type.results.first?.type,
                      let name = PackageFacts.receiverTypeName(result) else { return nil }
                found.insert(name)
            default:
                return nil
            }
        }
        guard found.count == 1, let only = found.first, only != ownerType else { return nil }
        return only
    }
}
