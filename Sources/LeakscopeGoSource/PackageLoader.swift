#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// A Go package: the built files of one directory that share a package clause.
public struct GoPackage: Sendable {
    /// The directory, as found from the patterns.
    public var directory: String
    /// The package clause's name (`main`, `http`, `http_test`).
    public var name: String
    /// The import path as the runtime prints it in function names (`main` for commands,
    /// `net/http`, `example.com/m/store`); external test packages end in `_test`.
    public var path: String
    /// Parsed files, in name order; files with syntax errors are in `LoadResult.failures`.
    public var files: [SourceFile]
    /// The `N` of the module's `go 1.N` line, when there is a go.mod.
    public var goMinor: Int?
    /// The directory relative to its module's root (`cmd/relay`; empty for the root itself), nil
    /// outside a module: where a package sits in its project, whatever path it was found by.
    public var directoryInModule: String?

    public init(directory: String, name: String, path: String, files: [SourceFile], goMinor: Int?,
                directoryInModule: String? = nil) {
        self.directory = directory
        self.name = name
        self.path = path
        self.files = files
        self.goMinor = goMinor
        self.directoryInModule = directoryInModule
    }
}

/// What loading found: packages, files that failed to parse and paths that could not be read.
public struct LoadResult: Sendable {
    public var packages: [GoPackage]
    /// Files with a syntax error (`SourceFile.errorDescription` says where).
    public var failures: [SourceFile]
    /// `path: reason` for unreadable inputs and patterns that matched nothing.
    public var problems: [String]
    /// Number of files parsed (including failures).
    public var fileCount: Int
    /// Number of source lines read.
    public var lineCount: Int
}

/// Finds and parses the packages named by `go`-style patterns: `./...`, `dir/...`, a directory,
/// or `.go` files. `testdata`, `vendor`, `_x`, `.x` directories and nested modules are skipped
/// by `...`, as by the go command.
public enum PackageLoader {
    /// Loads `patterns` (relative to the current directory) under `context`, keeping every package.
    /// For large trees prefer `forEachPackage`, which holds one batch of packages at a time.
    public static func load(_ patterns: [String], context: BuildContext) -> LoadResult {
        var packages: [GoPackage] = []
        var result = forEachPackage(patterns, context: context) { packages.append($0) }
        result.packages = packages
        return result
    }

    /// Parses the packages named by `patterns` a few directories at a time and hands each to `body`
    /// (directory order, then package-clause order) before parsing the next batch, so peak memory is
    /// bounded by the largest package (or one batch of small ones), not by the tree. The result has
    /// no `packages`; it counts files and lines and collects failures and problems. Files for
    /// which `skip` (given the path as loaded) says true are neither read nor counted.
    public static func forEachPackage(_ patterns: [String], context: BuildContext, skip: ((String) -> Bool)? = nil,
                                      _ body: (GoPackage) -> Void) -> LoadResult {
        let (directories, explicitFiles, patternProblems) = resolve(patterns)
        var problems = patternProblems
        // Files to parse, grouped by directory (a package never spans directories).
        var groups: [[String]] = []
        var groupOf: [String: Int] = [:]
        func add(_ directory: String, _ path: String) {
            if let skip, skip(path) { return }
            if let index = groupOf[directory] { groups[index].append(path); return }
            groupOf[directory] = groups.count
            groups.append([path])
        }
        for path in explicitFiles { add(dirname(path), path) }
        var seen = Set<String>()
        for directory in directories where seen.insert(directory).inserted {
            for name in list(directory).files.sorted() where context.matchesName(name) {
                add(directory, join(directory, name))
            }
        }
        let explicit = Set(explicitFiles)
        var result = LoadResult(packages: [], failures: [], problems: [], fileCount: 0, lineCount: 0)
        var modules = ModuleCache()
        var next = 0
        while next < groups.count {
            // A batch: whole directories, until it holds `batchFiles` files (one big directory alone).
            var batch: [String] = []
            while next < groups.count && (batch.isEmpty || batch.count + groups[next].count <= batchFiles) {
                batch += groups[next]
                next += 1
            }
            let (parsed, unreadable) = parse(batch, explicit: explicit, context: context)
            problems += unreadable
            var byKey: [String: GoPackage] = [:]
            var order: [String] = []
            for file in parsed {
                result.fileCount += 1
                result.lineCount += file.lineStarts.count
                guard let syntax = file.syntax else {
                    result.failures.append(file.withoutContents())
                    continue
                }
                let directory = dirname(file.path)
                let key = directory + "\u{0}" + syntax.packageName.name
                if byKey[key] == nil {
                    order.append(key)
                    let name = syntax.packageName.name
                    var path = modules.importPath(of: directory)
                    let module = modules.module(of: directory)
                    let inModule = module.flatMap { m in
                        path == m.path ? "" : path.hasPrefix(m.path + "/") ? String(path.dropFirst(m.path.count + 1)) : nil
                    }
                    if name == "main" { path = "main" }
                    else if name.hasSuffix("_test") { path += "_test" }
                    byKey[key] = GoPackage(directory: directory, name: name, path: path, files: [],
                                           goMinor: module?.goMinor, directoryInModule: inModule)
                }
                byKey[key]!.files.append(file)
            }
            for key in order {
                guard let package = byKey.removeValue(forKey: key) else { continue }
                body(package)
            }
        }
        result.problems = problems + modules.problems
        return result
    }

    /// Files per parse batch: enough to keep every core busy on directories of one or two files.
    static let batchFiles = 64

    /// Directories and explicit files named by the patterns, and patterns that matched nothing.
    static func resolve(_ patterns: [String]) -> (directories: [String], files: [String], problems: [String]) {
        var directories: [String] = []
        var explicitFiles: [String] = []
        var problems: [String] = []
        for pattern in patterns {
            if pattern.hasSuffix(".go") && !isDirectory(pattern) {
                if isRegularFile(pattern) { explicitFiles.append(pattern) } else { problems.append("\(pattern): no such file") }
                continue
            }
            var root = pattern
            var recursive = false
            if pattern == "..." { root = "."; recursive = true }
            else if pattern.hasSuffix("/...") { root = String(pattern.dropLast(4)); recursive = true; if root.isEmpty { root = "/" } }
            guard isDirectory(root) else {
                problems.append("\(pattern): no such directory")
                continue
            }
            if recursive {
                walk(root, isRoot: true, into: &directories)
            } else {
                directories.append(root)
            }
        }
        return (directories, explicitFiles, problems)
    }

    /// Reads and parses `paths` on all cores (deep-stack threads: see `DeepStack`); files excluded by build constraints are dropped.
    /// Returns the parsed files in input order and `path: reason` for unreadable ones.
    static func parse(_ paths: [String], explicit: Set<String>, context: BuildContext) -> ([SourceFile], [String]) {
        var parsed = [SourceFile?](repeating: nil, count: paths.count)
        var unreadable = [String?](repeating: nil, count: paths.count)
        parsed.withUnsafeMutableBufferPointer { out in
            unreadable.withUnsafeMutableBufferPointer { bad in
                nonisolated(unsafe) let o = out.baseAddress!
                nonisolated(unsafe) let b = bad.baseAddress!
                DeepStack.concurrentPerform(iterations: paths.count) { index in
                    let path = paths[index]
                    guard let bytes = readFile(path) else {
                        b[index] = "\(path): cannot read: \(String(cString: strerror(errno)))"
                        return
                    }
                    if !explicit.contains(path) && !context.matchesConstraints(bytes) { return }
                    o[index] = SourceFile(path: path, bytes: bytes)
                }
            }
        }
        return (parsed.compactMap { $0 }, unreadable.compactMap { $0 })
    }

    static func walk(_ directory: String, isRoot: Bool, into directories: inout [String]) {
        let entries = list(directory)
        if !isRoot && entries.files.contains("go.mod") { return }
        directories.append(directory)
        for name in entries.directories.sorted() {
            if name == "testdata" || name == "vendor" || name.hasPrefix(".") || name.hasPrefix("_") { continue }
            walk(join(directory, name), isRoot: false, into: &directories)
        }
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory == "." ? name : directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    static func dirname(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The files and directories `directory` holds, by name; `linkedFiles`: symbolic links to
    /// files count as files too (`IdentifierMentions`; the loader itself leaves them out).
    static func list(_ directory: String, linkedFiles: Bool = false) -> (files: [String], directories: [String]) {
        var files: [String] = []
        var directories: [String] = []
        guard let handle = opendir(directory) else { return ([], []) }
        defer { closedir(handle) }
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            var type = entry.pointee.d_type
            if type == UInt8(DT_UNKNOWN) {
                type = isDirectory(join(directory, name)) ? UInt8(DT_DIR) : UInt8(DT_REG)
            }
            if linkedFiles && type == UInt8(DT_LNK) && isRegularFile(join(directory, name)) { type = UInt8(DT_REG) }
            if type == UInt8(DT_DIR) { directories.append(name) } else if type == UInt8(DT_REG) { files.append(name) }
        }
        return (files, directories)
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The whole file, or nil (errno set) when it cannot be read. Files over 64 MB are refused.
    static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        let size = Int(info.st_size)
        guard size <= 64 << 20 else { errno = EFBIG; return nil }
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, size - done) }
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { break }
            done += n
        }
        if done < size { bytes.removeLast(size - done) }
        return bytes
    }
}

/// go.mod lookup: which module a directory belongs to, and its import path.
struct ModuleCache {
    /// Directory → (module root, module path), for directories already resolved.
    var roots: [String: (root: String, path: String, goMinor: Int?)?] = [:]

    /// go.mod files the go command would refuse, or could not read (`path:line: reason`), each
    /// once; their modules still load, with what could be read of them.
    var problems: [String] = []

    mutating func module(of directory: String) -> (root: String, path: String, goMinor: Int?)? {
        if let known = roots[directory] { return known }
        var result: (root: String, path: String, goMinor: Int?)?
        let goMod = PackageLoader.join(directory, "go.mod")
        let bytes = PackageLoader.readFile(goMod)
        let readError = errno
        if let bytes {
            switch GoModFile.parse(bytes, path: goMod) {
            case .success(let file): result = (directory, file.modulePath, file.goMinor)
            case .failure(let problem):
                problems.append(problem.description)
                result = (directory, "", nil)
            }
        } else if PackageLoader.isRegularFile(goMod) {
            problems.append("\(goMod): cannot read: \(String(cString: strerror(readError)))")
            result = (directory, "", nil)
        } else {
            let absolute = directory.hasPrefix("/") ? directory : Self.currentDirectory() + "/" + directory
            let parent = PackageLoader.dirname(absolute)
            if parent != absolute && absolute != "/" {
                if let found = module(of: parent) {
                    result = found
                }
            }
        }
        roots[directory] = result
        return result
    }

    static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        return getcwd(&buffer, buffer.count) != nil ? String(cString: buffer) : "."
    }

    /// The import path of the package in `directory`: module path plus the relative directory
    /// (`std` and `cmd` lay their packages out from the module root without the module name for std).
    mutating func importPath(of directory: String) -> String {
        let absolute = directory.hasPrefix("/") ? directory : (directory == "." ? Self.currentDirectory() : Self.currentDirectory() + "/" + directory)
        guard let (root, path, _) = module(of: directory) else { return PackageLoader.lastElement(absolute) }
        let absoluteRoot = root.hasPrefix("/") ? root : (root == "." ? Self.currentDirectory() : Self.currentDirectory() + "/" + root)
        var relative = String(absolute.dropFirst(absoluteRoot.count))
        if relative.hasPrefix("/") { relative.removeFirst() }
        if path == "std" { return relative.isEmpty ? "std" : relative }
        return relative.isEmpty ? path : path + "/" + relative
    }
}

extension PackageLoader {
    static func lastElement(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

extension StringProtocol {
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let first = s.first, first == " " || first == "\t" || first == "\r" { s = s.dropFirst() }
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
        return String(s)
    }

    func replacingQuotes() -> String {
        var s = String(self)
        if s.count >= 2, (s.first == "\"" && s.last == "\"") || (s.first == "`" && s.last == "`") {
            s = String(s.dropFirst().dropLast())
        }
        return s
    }
}
