#if canImport(Glibc)
import Glibc
private let posixRead = Glibc.read
#elseif canImport(Darwin)
import Darwin
private let posixRead = Darwin.read
#endif

/// Where source files are looked for: pprof's `-source_path` (a `:`-separated list of
/// directories, the current directory when empty) and `-trim_path` (a `:`-separated list of
/// prefixes to cut from the file names a profile records).
public struct SourcePaths: Sendable, Equatable {
    public var searchPath: String
    public var trimPath: String

    public init(searchPath: String = "", trimPath: String = "") {
        self.searchPath = searchPath
        self.trimPath = trimPath
    }

    /// Go's `filepath.SplitList`: nothing for "", else the `:`-separated parts (empty ones kept).
    static func split(_ list: String) -> [String] {
        list.isEmpty ? [] : list.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    }

    /// pprof's `trimPath`: with no `-trim_path`, a search directory's last element found in the
    /// path cuts everything up to and including it (`/ci/build/proj/x.go` with source path
    /// `/home/me/proj` becomes `x.go`); otherwise the first matching trim prefix, then
    /// `/proc/self/cwd/` (Bazel's), is cut.
    func trim(_ path: String) -> String {
        let bytes = Array(path.utf8)
        if trimPath.isEmpty {
            for dir in Self.split(searchPath) {
                let want = Array(("/" + GoPath.base(dir) + "/").utf8)
                if let found = Self.firstIndex(of: want, in: bytes) {
                    return String(decoding: bytes[(found + want.count)...], as: UTF8.self)
                }
            }
        }
        for var prefix in Self.split(trimPath) + ["/proc/self/cwd/./", "/proc/self/cwd/"] {
            if !prefix.hasSuffix("/") { prefix += "/" }
            if bytes.starts(with: prefix.utf8) { return String(decoding: bytes[prefix.utf8.count...], as: UTF8.self) }
        }
        return path
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var i = 0
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

/// Reads the source files a profile names, as `go tool pprof -list` finds them, caching each
/// file's lines.
///
/// Lookup (pprof's `openSourceFile`): the name is trimmed (`SourcePaths.trim`); an absolute name
/// must exist as it is; a relative one is tried in each search directory and then in each of its
/// parents. A `confined` reader (the web UI) never climbs to parents and reads only files with a
/// source extension, either at the absolute path the profile names or inside a search directory
/// (symbolic links resolved), so a URL or a crafted profile cannot make it read anything else.
/// It then also knows Go's layout: `GOROOT/src` for the standard library, `GOMODCACHE` for
/// `module@version/…` names, and a search directory whose `go.mod` declares the name's module.
public final class SourceReader {
    public let paths: SourcePaths
    let confined: Bool
    /// Directories with Go's layout (confined readers only): GOROOT/src and the module cache.
    let goRoots: [String]
    private var cache: [String: Result<[ArraySlice<UInt8>], SourceError>] = [:]
    private var moduleCache: [String: String?] = [:]

    /// Why a file could not be read: pprof's message.
    public struct SourceError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// The largest source file read (bigger files are cut there): no Go file comes near it.
    public static let maxFileBytes = 64 << 20

    /// `paths.searchPath` empty means the current directory, as in pprof. `goRoots` are used by
    /// confined readers only.
    public init(paths: SourcePaths, confined: Bool = false, goRoots: [String] = []) {
        var p = paths
        if p.searchPath.isEmpty { p.searchPath = Self.currentDirectory() }
        self.paths = p
        self.confined = confined
        self.goRoots = goRoots
    }

    /// The lines of `path` (a name from the profile, already trimmed by the graph), numbered
    /// from 1 (`lines[0]` is line 1), or pprof's error.
    public func lines(_ path: String) -> Result<[ArraySlice<UInt8>], SourceError> {
        if let cached = cache[path] { return cached }
        let result = load(path)
        cache[path] = result
        return result
    }

    private func load(_ name: String) -> Result<[ArraySlice<UInt8>], SourceError> {
        let path = paths.trim(name)
        if path.hasPrefix("/") {
            if confined && !Self.isSourceName(path) {
                return .failure(SourceError(message: "open \(path): not a source file"))
            }
            return Self.read(path).mapError { SourceError(message: "open \(path): \($0.message)") }
        }
        let roots = SourcePaths.split(paths.searchPath)
        if confined {
            for file in confinedCandidates(path, roots: roots) {
                if case .success(let lines) = Self.read(file) { return .success(lines) }
            }
        } else {
            for root in roots {
                var dir = root
                while true {
                    if case .success(let lines) = Self.read(GoPath.join(dir, path)) { return .success(lines) }
                    let parent = GoPath.dir(dir)
                    if parent == dir { break }
                    dir = parent
                }
            }
        }
        return .failure(SourceError(message: "could not find file \(path) on path \(paths.searchPath)"))
    }

    /// Files a confined reader may open for the relative name `path`, in order.
    private func confinedCandidates(_ path: String, roots: [String]) -> [String] {
        let clean = GoPath.clean(path)
        guard Self.isSourceName(clean), clean != "..", !clean.hasPrefix("../") else { return [] }
        var candidates: [String] = []
        for root in roots { candidates.append(GoPath.join(root, clean)) }
        for root in roots {
            if let module = modulePath(root), clean.hasPrefix(module + "/") {
                candidates.append(GoPath.join(root, String(clean.dropFirst(module.count + 1))))
            }
        }
        for root in goRoots { candidates.append(GoPath.join(root, Self.escapedModulePath(clean))) }
        let allowed = (roots + goRoots).compactMap(Self.realPath)
        return candidates.filter { candidate in
            guard let real = Self.realPath(candidate) else { return false }
            return allowed.contains { real.hasPrefix($0 == "/" ? "/" : $0 + "/") }
        }
    }

    /// The `module` line of `dir/go.mod`, if any.
    private func modulePath(_ dir: String) -> String? {
        if let known = moduleCache[dir] { return known }
        var module: String? = nil
        if case .success(let lines) = Self.read(GoPath.join(dir, "go.mod")) {
            for line in lines {
                let text = String(decoding: line, as: UTF8.self).trimmingSpaces()
                if text.hasPrefix("module ") || text.hasPrefix("module\t") {
                    var value = String(text.dropFirst(7)).trimmingSpaces()
                    if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                    if !value.isEmpty { module = value }
                    break
                }
            }
        }
        moduleCache[dir] = module
        return module
    }

    /// The module cache spells upper-case letters in module paths as `!` and the lower-case letter.
    static func escapedModulePath(_ path: String) -> String {
        guard path.contains("@") else { return path }
        var out = ""
        for c in path.unicodeScalars {
            if c.properties.isUppercase && c.isASCII {
                out += "!" + String(c).lowercased()
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static func isSourceName(_ path: String) -> Bool {
        let extensions = [".go", ".s", ".c", ".h", ".cc", ".cpp", ".cxx", ".hpp", ".rs", ".java", ".py", ".swift"]
        return extensions.contains { path.hasSuffix($0) }
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return String(cString: buffer)
    }

    /// Opens and splits a file as Go's `bufio.Scanner` with `ScanLines` does: lines end at `\n`,
    /// a `\r` before it is dropped, a last line without `\n` counts, and reading stops (silently,
    /// as in pprof) at a line of 64 KiB or more. Something that opens but is not a regular file
    /// (a directory) has no lines; the failure is Go's error text for `open`.
    static func read(_ path: String) -> Result<[ArraySlice<UInt8>], SourceError> {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if descriptor < 0 { return .failure(SourceError(message: goErrno(errno))) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return .success([]) }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        var bytes = [UInt8](repeating: 0, count: min(Int(info.st_size), maxFileBytes))
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { posixRead(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            filled += n
        }
        bytes.removeLast(bytes.count - filled)
        return .success(splitLines(bytes))
    }

    static func splitLines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        let maxToken = 64 * 1024
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            if end - start >= maxToken { break }
            var line = bytes[start..<end]
            if line.last == 0x0D { line = line.dropLast() }
            lines.append(line)
            start = end + 1
        }
        return lines
    }

    /// Go's `syscall.Errno` text: the C library's message, lower-cased at the start.
    static func goErrno(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        var message = String(cString: text)
        if let first = message.first { message = first.lowercased() + message.dropFirst() }
        return message
    }
}

extension GoPath {
    /// Go's `filepath.Join` for two elements: joined with `/` and cleaned; an empty one is skipped.
    static func join(_ a: String, _ b: String) -> String {
        if a.isEmpty { return b.isEmpty ? "" : clean(b) }
        if b.isEmpty { return clean(a) }
        return clean(a + "/" + b)
    }

    /// Go's `filepath.Dir`: everything before the last element, cleaned (`/` and `.` stay).
    static func dir(_ path: String) -> String {
        let bytes = Array(path.utf8)
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        return clean(String(decoding: bytes[...slash], as: UTF8.self))
    }
}
