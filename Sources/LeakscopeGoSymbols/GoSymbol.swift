/// A Go function's identity as the runtime names it, taken apart: package path, receiver type,
/// name, and the chain of function literals inside it.
///
/// `example.com/svc/worker.(*Pool[...]).run.func1.2` is package `example.com/svc/worker`, receiver
/// `Pool`, name `run`, closures `["func1", "2"]`. Two symbols name the same declared function when
/// their `enclosing` symbols are equal, whatever closures, wrappers (`gowrap1`, `deferwrap1`),
/// method-value suffixes (`-fm`) or type arguments (`[...]`) the runtime added.
public struct GoSymbol: Sendable, Hashable, CustomStringConvertible {
    /// The import path as the runtime prints it: a dot in the last element is `%2e`
    /// (`gopkg.in/yaml%2ev3`); `main` for commands.
    public var package: String
    /// The receiver's type name without `*` or type arguments; nil for plain functions.
    public var receiver: String?
    /// The declared function or method name (`init` for every `init.N`).
    public var name: String
    /// Function literals and wrappers inside it, outermost first (`func1`, `2`, `gowrap1`).
    public var closures: [String]

    /// A symbol from its parts.
    public init(package: String, receiver: String?, name: String, closures: [String] = []) {
        self.package = package
        self.receiver = receiver
        self.name = name
        self.closures = closures
    }

    /// Parses a runtime function name; nil when it has no package or no name
    /// (`runtime.goexit` parses; `?` and `` do not).
    public init?(_ function: String) {
        var text = Substring(function)
        if text.hasSuffix("-fm") { text = text.dropLast(3) }
        let package = ApplicationCode.packagePath(of: String(text))
        guard !package.isEmpty, package.endIndex < text.endIndex else { return nil }
        let parts = GoSymbol.split(text[text.index(after: package.endIndex)...])
        guard let first = parts.first, !first.isEmpty else { return nil }
        var index = 0
        var receiver: String? = nil
        if first.hasPrefix("(") {
            receiver = GoSymbol.typeName(first)
            index = 1
        } else if parts.count > 1, !GoSymbol.isClosure(parts[1]), !(first == "init" && parts[1].allSatisfy(\.isNumber)) {
            // `T.M`: a method with a value receiver (a closure or `init.N` would follow a function).
            receiver = GoSymbol.typeName(first)
            index = 1
        }
        guard index < parts.count else { return nil }
        let name = GoSymbol.typeName(parts[index])
        guard !name.isEmpty else { return nil }
        var closures = parts[(index + 1)...].map(String.init)
        if name == "init", receiver == nil, let number = closures.first, number.allSatisfy(\.isNumber) { closures.removeFirst() }
        self.init(package: String(package), receiver: receiver, name: name, closures: closures)
    }

    /// The declared function the symbol is written in (closures removed).
    public var enclosing: GoSymbol { GoSymbol(package: package, receiver: receiver, name: name) }

    /// Whether this is a function literal or wrapper rather than the declared function itself.
    public var isClosure: Bool { !closures.isEmpty }

    /// `pkg.(*T).M.func1` style, with the receiver as a pointer-free type name: `pkg.T.M.func1`.
    public var description: String {
        ([package] + (receiver.map { [$0] } ?? []) + [name] + closures).joined(separator: ".")
    }

    /// The import path as it appears in runtime symbols: dots in the last element become `%2e`
    /// (`gopkg.in/yaml.v3` → `gopkg.in/yaml%2ev3`), as the linker writes them.
    public static func runtimePackagePath(_ importPath: String) -> String {
        guard let slash = importPath.lastIndex(of: "/") else { return importPath.replacingDots() }
        let head = importPath[...slash]
        return head + String(importPath[importPath.index(after: slash)...]).replacingDots()
    }

    /// Whether a name element is a literal or wrapper the compiler made: `func1`, `1`, `gowrap2`, `deferwrap1`.
    static func isClosure(_ part: Substring) -> Bool {
        for prefix in ["func", "gowrap", "deferwrap", ""] where part.hasPrefix(prefix) {
            let digits = part.dropFirst(prefix.count)
            if !digits.isEmpty && digits.allSatisfy(\.isNumber) { return true }
        }
        return false
    }

    /// Splits at dots outside parentheses and brackets (`(*T[...]).M` is two parts).
    static func split(_ text: Substring) -> [Substring] {
        var parts: [Substring] = []
        var depth = 0
        var start = text.startIndex
        for index in text.indices {
            switch text[index] {
            case "(", "[": depth += 1
            case ")", "]": depth = max(0, depth - 1)
            case "." where depth == 0:
                parts.append(text[start..<index])
                start = text.index(after: index)
            default: break
            }
        }
        parts.append(text[start...])
        return parts
    }

    /// `(*Pool[...])` → `Pool`; `F[...]` → `F`.
    static func typeName(_ part: Substring) -> String {
        var text = part
        if text.hasPrefix("(") && text.hasSuffix(")") { text = text.dropFirst().dropLast() }
        if text.hasPrefix("*") { text = text.dropFirst() }
        if let bracket = text.firstIndex(of: "[") { text = text[..<bracket] }
        return String(text)
    }
}

extension String {
    fileprivate func replacingDots() -> String {
        var out = ""
        for character in self { out += character == "." ? "%2e" : String(character) }
        return out
    }
}
