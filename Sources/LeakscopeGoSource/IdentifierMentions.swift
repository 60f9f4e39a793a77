#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which functions the Go files of a tree may name: for files a lint run did not read as code
/// (test files, files other build tags select, nested modules), where a function may still be
/// called.
public enum IdentifierMentions {
    /// A function looked for: its name, the directory of its package, and its import path when
    /// another package may name it (`pkg.Name`), nil when only its own package can.
    public struct Query: Hashable, Sendable {
        public var name: String
        public var directory: String
        public var importPath: String?

        public init(name: String, directory: String, importPath: String?) {
            self.name = name
            self.directory = directory
            self.importPath = importPath
        }
    }

    /// The members of `queries` that some `.go` file under `roots`, other than the paths in
    /// `skipping` (as `PackageLoader` spells them: `join(root, …)`), may name: a file in the
    /// query's directory writing the name as an identifier (outside comments and literals), or,
    /// for an import path, a file elsewhere that writes both the quoted path and the name.
    /// Directories are walked as `./...` walks them (no `testdata`, `vendor`, `.`- or
    /// `_`-prefixed ones), into nested modules too. A file that does not scan is searched as
    /// bytes, so a name in it counts even inside a comment: an answer errs only towards "named".
    public static func find(_ queries: Set<Query>, under roots: [String], skipping: Set<String>) -> Set<Query> {
        guard !queries.isEmpty else { return [] }
        let wanted = Set(queries.map { Array($0.name.utf8) })
        let lengths = Set(wanted.map(\.count))
        var found = Set<Query>()
        var directories: [String] = []
        var seen = Set<String>()
        for root in roots where seen.insert(root).inserted { walk(root, into: &directories) }
        for directory in directories {
            let here = queries.filter { $0.directory == directory || $0.importPath != nil }
            guard !here.isEmpty else { continue }
            for file in PackageLoader.list(directory).files where file.hasSuffix(".go") {
                let path = PackageLoader.join(directory, file)
                guard !skipping.contains(path), let bytes = PackageLoader.readFile(path) else { continue }
                var names = Set<String>()
                scan(bytes, wanted: wanted, lengths: lengths, into: &names)
                for query in here where !found.contains(query) && names.contains(query.name) {
                    if query.directory == directory || query.importPath.map({ contains(bytes, Array("\"\($0)\"".utf8)) }) == true {
                        found.insert(query)
                    }
                }
                if found.count == queries.count { return found }
            }
        }
        return found
    }

    static func scan(_ bytes: [UInt8], wanted: Set<[UInt8]>, lengths: Set<Int>, into found: inout Set<String>) {
        guard let scanner = try? GoScanner.scan(bytes) else {
            for name in wanted where contains(bytes, name) { found.insert(String(decoding: name, as: UTF8.self)) }
            return
        }
        for token in scanner.tokens where token.kind == .ident && lengths.contains(Int(token.end - token.start)) {
            let word = Array(bytes[Int(token.start)..<Int(token.end)])
            if wanted.contains(word) { found.insert(String(decoding: word, as: UTF8.self)) }
        }
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

    /// Like `PackageLoader.walk`, without stopping at a nested module's `go.mod`.
    static func walk(_ directory: String, into directories: inout [String]) {
        directories.append(directory)
        for name in PackageLoader.list(directory).directories.sorted() {
            if name == "testdata" || name == "vendor" || name.hasPrefix(".") || name.hasPrefix("_") { continue }
            walk(PackageLoader.join(directory, name), into: &directories)
        }
    }
}
