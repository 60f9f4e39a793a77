#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// Which functions the Go files of a tree may name, token by token: the last word on whether
/// anything calls a function, where a call graph resolved by name may have missed one (a method
/// expression called with its receiver, a dot import, a package named unlike its directory) and
/// where no code is read at all (test files, other platforms' files, nested modules, assembly).
public enum IdentifierMentions {
    /// Which files may name a function.
    public enum Scope: Hashable, Sendable {
        /// Files of its own directory (an unexported name).
        case directory
        /// Those, and files anywhere that write its package's quoted import path (an exported
        /// function; `"path"` or a raw string).
        case importers(String)
        /// Any file (an exported method, called on a value got anywhere).
        case anywhere
    }

    /// A function looked for: its name, the directory of its package, and where it may be named.
    public struct Query: Hashable, Sendable {
        public var name: String
        public var directory: String
        public var scope: Scope

        public init(name: String, directory: String, scope: Scope) {
            self.name = name
            self.directory = directory
            self.scope = scope
        }
    }

    /// More files than this under the roots and every query counts as named: a root high up the
    /// file system is not walked to its end.
    public static let fileLimit = 200_000

    /// The members of `queries` some file under `roots` (or the directory of a `go.work` above
    /// one) names in its scope: an identifier token equal to the name that is not the name of a
    /// function or method being declared and does not lie in one of the `ignoring` byte ranges
    /// of its file (the bodies of functions known unreached, keyed by `canonicalPath`); or the
    /// name's bytes anywhere in a file that also writes `go:linkname`, `go:wasmexport` or
    /// `//export`, in an assembly file, or in a file that does not scan. Directories are walked
    /// into nested modules, `_`-prefixed folders and `testdata`, not `vendor` or hidden ones;
    /// symbolic links to files are read. A `go.work`'s `use` directories are walked too. An
    /// answer errs only towards "named". The whole tree is read even for unexported names: a
    /// file the run did not load (another build tag's, a nested module's) may pull one in with
    /// `go:linkname` (a code review's shapes, session 39).
    public static func find(_ queries: Set<Query>, under roots: [String], ignoring: [String: [Range<Int32>]] = [:]) -> Set<Query> {
        guard !queries.isEmpty else { return [] }
        let list = Array(queries)
        var directories: [String] = []
        var seen = Set<String>()
        for root in roots + roots.flatMap(workspaceDirectories) {
            guard let canonical = canonicalPath(root), seen.insert(canonical).inserted else { continue }
            walk(canonical, into: &directories, seen: &seen)
        }
        var files: [String] = []
        for directory in directories {
            for name in PackageLoader.list(directory, linkedFiles: true).files where name.hasSuffix(".go") || name.hasSuffix(".s") {
                files.append(directory + "/" + name)
                if files.count > fileLimit { return queries }
            }
        }
        let paths = files
        let queryDirectories = list.map { canonicalPath($0.directory) ?? $0.directory }
        let named = Mutex(Set<Int>())
        DispatchQueue.concurrentPerform(iterations: paths.count) { index in
            let path = paths[index]
            let directory = String(path[..<path.lastIndex(of: "/")!])
            guard let bytes = PackageLoader.readFile(path) else { return }
            // A `//go:linkname` may name an unexported function of any package.
            let linked = contains(bytes, Array("go:linkname".utf8))
            let inScope = list.indices.filter { i in
                switch list[i].scope {
                case .anywhere, .importers: return true
                case .directory: return linked || queryDirectories[i] == directory
                }
            }
            guard !inScope.isEmpty else { return }
            let hits = scan(bytes, path: path, linked: linked, directory: directory, queries: list,
                            queryDirectories: queryDirectories, inScope: inScope, ignoring: ignoring[path] ?? [])
            guard !hits.isEmpty else { return }
            named.withLock { $0.formUnion(hits) }
        }
        return Set(named.withLock { $0 }.map { list[$0] })
    }

    /// The indexes of the queries `bytes` names.
    /// `linked`: the file writes `go:linkname`.
    static func scan(_ bytes: [UInt8], path: String, linked: Bool, directory: String, queries: [Query], queryDirectories: [String],
                     inScope: [Int], ignoring: [Range<Int32>]) -> [Int] {
        // A query whose scope is its importers counts here only in its directory or with its path written.
        let candidates = inScope.filter { i in
            guard case .importers(let importPath) = queries[i].scope, queryDirectories[i] != directory else { return true }
            return contains(bytes, Array("\"\(importPath)\"".utf8)) || contains(bytes, Array("`\(importPath)`".utf8))
        }.filter { contains(bytes, Array(queries[$0].name.utf8)) }
        guard !candidates.isEmpty else { return [] }
        let byBytes = path.hasSuffix(".s") || linked
            || contains(bytes, Array("go:wasmexport".utf8)) || contains(bytes, Array("//export".utf8))
        guard !byBytes, let scanner = try? GoScanner.scan(bytes) else { return candidates }
        var byName: [String: [Int]] = [:]
        for i in candidates { byName[queries[i].name, default: []].append(i) }
        var hits: [Int] = []
        let tokens = scanner.tokens
        for (position, token) in tokens.enumerated() where token.kind == .ident {
            let word = String(decoding: bytes[Int(token.start)..<Int(token.end)], as: UTF8.self)
            guard let found = byName[word], !isDeclaredName(position, in: tokens),
                  !ignoring.contains(where: { $0.contains(token.start) }) else { continue }
            hits += found
            byName[word] = nil
            if byName.isEmpty { break }
        }
        return hits
    }

    /// Whether the identifier at `position` is the name of a function or method being declared:
    /// `func name` or `func (r T) name`.
    static func isDeclaredName(_ position: Int, in tokens: [Token]) -> Bool {
        guard position > 0 else { return false }
        if tokens[position - 1].kind == .kwFunc { return true }
        guard tokens[position - 1].kind == .rparen else { return false }
        var depth = 0
        var i = position - 1
        while i >= 0 {
            switch tokens[i].kind {
            case .rparen: depth += 1
            case .lparen:
                depth -= 1
                if depth == 0 { return i > 0 && tokens[i - 1].kind == .kwFunc }
            default: break
            }
            i -= 1
        }
        return false
    }

    /// Whether a `.go` file of `directory` whose name is not in `excluding` holds `word`'s bytes
    /// anywhere, or cannot be read: what a run that did not load those files (another
    /// platform's, tests) cannot rule out.
    public static func named(_ word: String, inGoFilesOf directory: String, excluding: Set<String>) -> Bool {
        let bytes = Array(word.utf8)
        for name in PackageLoader.list(directory).files where name.hasSuffix(".go") && !excluding.contains(name) {
            guard let text = PackageLoader.readFile(directory + "/" + name) else { return true }
            if contains(text, bytes) { return true }
        }
        return false
    }

    /// Whether `word` occurs anywhere in `bytes`.
    public static func contains(_ bytes: [UInt8], _ word: [UInt8]) -> Bool {
        guard !word.isEmpty, bytes.count >= word.count else { return false }
        return bytes.withUnsafeBufferPointer { haystack in
            word.withUnsafeBufferPointer { needle in
                let base = haystack.baseAddress!
                var at = 0
                let last = haystack.count - needle.count
                while at <= last {
                    // memchr finds the first byte's next place; the rest is compared there.
                    guard let hit = memchr(base + at, Int32(needle[0]), last - at + 1) else { return false }
                    at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + at, needle.baseAddress!, needle.count) == 0 { return true }
                    at += 1
                }
                return false
            }
        }
    }

    /// The absolute path with every symbolic link resolved, or nil when it does not exist.
    public static func canonicalPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `path`'s directory made canonical, then its name: how `find` spells the files it walks,
    /// and so the keys of its `ignoring` ranges.
    public static func canonicalFilePath(_ path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let canonical = canonicalPath(directory.isEmpty ? "/" : directory) ?? directory
        return canonical == "/" ? "/" + name : canonical + "/" + name
    }

    /// The directory of the `go.work` at or above `root`, if any, and the directories its `use`
    /// directives name (`use ./a`, `use ( ../b … )`, relative to it or absolute): the
    /// workspace's other modules may call.
    static func workspaceDirectories(_ root: String) -> [String] {
        guard var directory = canonicalPath(root) else { return [] }
        while !PackageLoader.isRegularFile(directory + "/go.work") {
            guard let slash = directory.lastIndex(of: "/"), directory != "/" else { return [] }
            directory = slash == directory.startIndex ? "/" : String(directory[..<slash])
        }
        guard let bytes = PackageLoader.readFile(directory + "/go.work") else { return [directory] }
        var used: [String] = []
        var inUseBlock = false
        for line in String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline) {
            var words = GoModFile.withoutComment(String(line)).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if inUseBlock {
                if words.first == ")" { inUseBlock = false; continue }
            } else {
                guard words.first == "use" else { continue }
                words.removeFirst()
                if words.first == "(" { inUseBlock = true; continue }
            }
            guard let path = words.first.map({ String($0).replacingQuotes() }) else { continue }
            used.append(path.hasPrefix("/") ? path : directory + "/" + path)
        }
        return [directory] + used
    }

    /// Every directory under `directory` but `vendor` and hidden ones, not entering a directory
    /// twice (links).
    static func walk(_ directory: String, into directories: inout [String], seen: inout Set<String>) {
        directories.append(directory)
        for name in PackageLoader.list(directory).directories.sorted() where name != "vendor" && !name.hasPrefix(".") {
            let path = directory == "/" ? "/" + name : directory + "/" + name
            guard seen.insert(path).inserted else { continue }
            walk(path, into: &directories, seen: &seen)
        }
    }
}
