import LeakscopeGoSource

/// The struct types of one package whose values never leave the package's own hands: each is
/// made (`T{…}`, `&T{…}`, `new(T)`, or a package function that returns one), held in locals,
/// parameters and receivers, and used only as the receiver of a method call or a field access.
/// A method of such a type is called only where the package calls it, even when it is named like
/// one frameworks call through an interface (`Start`, `Run`, `Stop`): no interface value can
/// hold the type. `RunsOnce` then follows those calls like any other (stolon's keeper, whose
/// command handler runs `go p.Start(ctx)` once).
///
/// Anything else is taken as an escape, which only ever keeps a type out: a holder used bare
/// (passed, stored, sent, returned by a function that is not its maker, compared with anything
/// but nil), a method that returns the type, a struct embedding it, and any other mention of the
/// type's name outside comments (a field's or element's type, a conversion, a type switch, a
/// function literal's parameter, a qualified name that happens to match).
enum ConfinedTypes {
    /// `files`: one package's non-test files. `methodNames`: the method names that make a type
    /// worth asking about; types with none of them are not examined. Returns each confined type
    /// with the package functions that make it: another package naming either one takes values
    /// out of this package's hands (`RunsOnce` asks the packages it sees later).
    static func find(_ files: [SourceFile], methodNames: Set<String>) -> [String: Set<String>] {
        var structs = Set<String>()
        var named = Set<String>()
        // A file that did not parse may hold any use at all.
        if files.contains(where: { $0.syntax == nil }) { return [:] }
        for file in files {
            for decl in file.syntax?.decls ?? [] {
                switch decl {
                case .gen(let g):
                    for case .type(let name, let typeParams, let isAlias, .structType) in g.specs where typeParams.isEmpty && !isAlias {
                        structs.insert(name.name)
                    }
                case .function(let f):
                    if let receiver = f.receiver, methodNames.contains(f.name.name),
                       let type = PackageFacts.receiverTypeName(receiver.type) { named.insert(type) }
                }
            }
        }
        let candidates = structs.intersection(named)
        guard !candidates.isEmpty else { return [:] }
        var analysis = Analysis(candidates: candidates)
        analysis.indexMakers(files)
        for file in files { analysis.check(file) }
        var confined: [String: Set<String>] = [:]
        for type in candidates.subtracting(analysis.escaped) { confined[type] = [] }
        for (maker, results) in analysis.makers {
            for type in Set(results.values) where confined[type] != nil { confined[type]!.insert(maker) }
        }
        return confined
    }

    /// `T` or `*T` for a candidate `T`: its name and the identifier's offset.
    static func candidateType(_ type: Expr, _ candidates: Set<String>) -> Ident? {
        var t = type.unparenthesized
        if case .star(let inner, _) = t { t = inner.unparenthesized }
        guard case .ident(let id) = t, candidates.contains(id.name) else { return nil }
        return id
    }

    struct Analysis {
        let candidates: Set<String>
        var escaped = Set<String>()
        /// Package functions returning a candidate: result position → type.
        var makers: [String: [Int: String]] = [:]

        init(candidates: Set<String>) { self.candidates = candidates }

        mutating func indexMakers(_ files: [SourceFile]) {
            for file in files {
                for case .function(let f) in file.syntax?.decls ?? [] {
                    var position = 0
                    for field in f.type.results {
                        let count = max(1, field.names.count)
                        if let id = candidateType(field.type, candidates) {
                            if f.receiver != nil {
                                // A method handing one out: its callers' values are not followed.
                                escaped.insert(id.name)
                            } else {
                                for k in 0..<count { makers[f.name.name, default: [:]][position + k] = id.name }
                            }
                        }
                        position += count
                    }
                }
            }
        }

        /// The candidate a value is made as: `T{…}`, `&T{…}`, `new(T)`, with the type's identifier.
        func made(_ e: Expr) -> Ident? {
            var x = e.unparenthesized
            if case .unary(.and, let inner, _) = x { x = inner.unparenthesized }
            switch x {
            case .compositeLit(let type?, _, _, _):
                return candidateType(type, candidates)
            case .call(let c) where c.fun.identName == "new" && c.args.count == 1:
                return candidateType(c.args[0], candidates)
            default:
                return nil
            }
        }

        /// `f(…)` of a package function returning candidates.
        func maker(_ e: Expr) -> (call: Int32, results: [Int: String])? {
            guard case .call(let c) = e.unparenthesized, let name = c.fun.identName, let results = makers[name] else { return nil }
            return (c.fun.pos, results)
        }

        mutating func check(_ file: SourceFile) {
            guard let syntax = file.syntax else { return }
            // Offsets of the candidates' names, and of their holders, that are accounted for.
            var allowed = Set<Int32>()
            for decl in syntax.decls {
                switch decl {
                case .gen(let g):
                    for spec in g.specs {
                        switch spec {
                        case .type(let name, _, _, let type):
                            allowed.insert(name.pos)
                            // An embedded candidate lends its methods to the outer type.
                            if case .structType(let fields, _) = type {
                                for field in fields where field.names.isEmpty {
                                    if let id = candidateType(field.type, candidates) { escaped.insert(id.name) }
                                }
                            }
                        case .value(_, _, let values):
                            // A package variable made by a maker (`var d = newDaemon()`) lives where
                            // anyone in the package, or beyond, may hand it on.
                            for value in values {
                                Walk.expr(value) { x in
                                    if case .ident(let id) = x, let results = makers[id.name] { escaped.formUnion(results.values) }
                                    return true
                                }
                            }
                        default:
                            break
                        }
                    }
                case .function(let f):
                    check(f, allowed: &allowed)
                }
            }
            // Every other mention of a candidate's name, outside comments, is a use not followed.
            for type in candidates where !escaped.contains(type) {
                if ConfinedTypes.mentions(type, in: file, outside: allowed) { escaped.insert(type) }
            }
        }

        mutating func check(_ f: FuncDecl, allowed: inout Set<Int32>) {
            let candidates = self.candidates
            var holders: [String: String] = [:]
            func hold(_ fields: [Field]) {
                for field in fields {
                    guard let id = candidateType(field.type, candidates) else { continue }
                    allowed.insert(id.pos)
                    for name in field.names { holders[name.name] = id.name; allowed.insert(name.pos) }
                }
            }
            if let receiver = f.receiver { hold([receiver]) }
            hold(f.type.params)
            // A maker's results (`indexMakers`); a method's were counted as escapes already.
            var results: [Int: String] = [:]
            if f.receiver == nil {
                hold(f.type.results)
                results = makers[f.name.name] ?? [:]
            } else {
                for field in f.type.results { if let id = candidateType(field.type, candidates) { allowed.insert(id.pos) } }
            }
            guard let body = f.body else { return }
            var allowedCalls = Set<Int32>()
            /// The candidate `value` is made as (`T{…}`, `new(T)`, a maker's one result), its
            /// making marked as accounted for.
            func madeType(_ value: Expr) -> String? {
                if let id = made(value) { allowed.insert(id.pos); return id.name }
                if let m = maker(value), m.results.count == 1, let type = m.results[0] { allowedCalls.insert(m.call); return type }
                return nil
            }
            /// A maker's result `value` of `type`: made here, or a holder of that type.
            func returns(_ value: Expr, as type: String) {
                if let id = made(value), id.name == type { allowed.insert(id.pos) }
                else if let m = maker(value), m.results.count == 1, m.results.values.first == type { allowedCalls.insert(m.call) }
                else if let name = value.unparenthesized.identName, holders[name] == type { allowed.insert(value.pos) }
            }
            // Holders and makings first, so later uses find them. A holder is declared here (`:=`,
            // `var`, a parameter); a made value put anywhere else (a field, a package variable, a
            // local of another type) has left.
            for s in body.statements {
                Walk.statements(s, intoFuncLits: true, { st in
                    switch st {
                    case .assign(let lhs, let op, let rhs, _) where lhs.count == rhs.count:
                        for (l, r) in zip(lhs, rhs) {
                            let name = l.identName
                            if let madeType = madeType(r) {
                                if op == .define, let name, name != "_" { holders[name] = madeType; allowed.insert(l.pos) }
                                else if op == .assign, let name, holders[name] == madeType { allowed.insert(l.pos) }
                                else { escaped.insert(madeType) }
                            } else if let name, holders[name] != nil, op == .assign {
                                allowed.insert(l.pos)
                            }
                        }
                    case .assign(let lhs, let op, let rhs, _) where rhs.count == 1:
                        guard let m = maker(rhs[0]) else { break }
                        allowedCalls.insert(m.call)
                        for (k, type) in m.results {
                            guard k < lhs.count, let name = lhs[k].identName else { escaped.insert(type); continue }
                            if name == "_" { continue }
                            if op == .define { holders[name] = type; allowed.insert(lhs[k].pos) }
                            else if holders[name] == type { allowed.insert(lhs[k].pos) }
                            else { escaped.insert(type) }
                        }
                    case .decl(let g):
                        for case .value(let names, let type, let values) in g.specs {
                            let declared = type.flatMap { candidateType($0, candidates) }
                            if let declared {
                                allowed.insert(declared.pos)
                                for name in names { holders[name.name] = declared.name; allowed.insert(name.pos) }
                            }
                            for (name, value) in zip(names, values) {
                                guard let madeType = madeType(value) else { continue }
                                // `var j Job = &keeper{}`: an interface holds it.
                                if type == nil || declared?.name == madeType {
                                    holders[name.name] = madeType; allowed.insert(name.pos)
                                } else {
                                    escaped.insert(madeType)
                                }
                            }
                        }
                    default:
                        break
                    }
                    return true
                }, { _ in true })
            }
            // A maker's own returns, not those of function literals written in it.
            if !results.isEmpty {
                for s in body.statements {
                    Walk.statements(s, intoFuncLits: false, { st in
                        if case .returnStmt(let values, _) = st {
                            for (i, value) in values.enumerated() { if let type = results[i] { returns(value, as: type) } }
                        }
                        return true
                    }, { _ in true })
                }
            }
            // Uses as a receiver or field base, comparisons with nil, and makers called.
            var makerCalls = Set<Int32>()
            for s in body.statements {
                Walk.stmt(s) { x in
                    if case .call(let c) = x, let name = c.fun.identName, makers[name] != nil { makerCalls.insert(c.fun.pos) }
                    switch x {
                    case .selector(let base, _):
                        let b = base.unparenthesized
                        if let name = b.identName, holders[name] != nil { allowed.insert(b.pos) }
                        if let id = made(b) { allowed.insert(id.pos) }
                        if let m = maker(b) { allowedCalls.insert(m.call) }
                    case .binary(let op, let a, let b, _) where op == .eql || op == .neq:
                        if b.identName == "nil", let name = a.identName, holders[name] != nil { allowed.insert(a.pos) }
                        if a.identName == "nil", let name = b.identName, holders[name] != nil { allowed.insert(b.pos) }
                    default:
                        break
                    }
                    return true
                }
            }
            // Anything else a holder or a maker's result does is an escape.
            for s in body.statements {
                Walk.stmt(s) { x in
                    if case .ident(let id) = x, let type = holders[id.name], !allowed.contains(id.pos) { escaped.insert(type) }
                    // A maker used as a value (`sync.OnceValue(newDaemon)`): its results go unseen.
                    if case .ident(let id) = x, let results = makers[id.name], !makerCalls.contains(id.pos) {
                        escaped.formUnion(results.values)
                    }
                    if let m = maker(x), !allowedCalls.contains(m.call) { escaped.formUnion(m.results.values) }
                    return true
                }
            }
        }
    }

    /// Whether `name` occurs as a whole word in the file, outside comments, at an offset not in
    /// `allowed`.
    static func mentions(_ name: String, in file: SourceFile, outside allowed: Set<Int32>) -> Bool {
        let word = Array(name.utf8)
        let bytes = file.bytes
        guard let first = word.first, bytes.count >= word.count else { return false }
        let isWordByte = GoScanner.isIdentifierByte
        var comments = CommentCursor(file)
        var i = 0
        let last = bytes.count - word.count
        while i <= last {
            defer { i += 1 }
            guard bytes[i] == first else { continue }
            if i > 0 && isWordByte(bytes[i - 1]) { continue }
            let end = i + word.count
            if end < bytes.count && isWordByte(bytes[end]) { continue }
            guard bytes[i..<end].elementsEqual(word), !comments.covers(i) else { continue }
            if !allowed.contains(Int32(i)) { return true }
        }
        return false
    }
}
