/// One Go source file: its bytes, comments and syntax tree (or the syntax error that stopped it).
public struct SourceFile: Sendable {
    /// The path as given (relative paths stay relative).
    public let path: String
    public let bytes: [UInt8]
    /// Every comment of the file.
    public let comments: [Comment]
    /// The tree, or nil when `error` is set.
    public let syntax: FileSyntax?
    /// The first syntax error.
    public let error: GoSyntaxError?
    /// Offsets where lines start.
    let lineStarts: [Int32]

    /// Scans and parses `bytes`.
    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        var starts: [Int32] = [0]
        starts.reserveCapacity(bytes.count / 30)
        bytes.withUnsafeBufferPointer { buffer in
            for (index, byte) in buffer.enumerated() where byte == 0x0A { starts.append(Int32(index + 1)) }
        }
        lineStarts = starts
        var comments: [Comment] = []
        var syntax: FileSyntax?
        var failure: GoSyntaxError?
        do {
            let scanner = try GoScanner.scan(bytes)
            comments = scanner.comments
            syntax = try GoParser.parse(bytes, tokens: scanner.tokens)
        } catch let error as GoSyntaxError {
            failure = error
        } catch {
            failure = GoSyntaxError(offset: 0, message: "\(error)")
        }
        self.comments = comments
        self.syntax = syntax
        self.error = failure
    }

    private init(path: String, lineStarts: [Int32], error: GoSyntaxError?) {
        self.path = path
        self.bytes = []
        self.comments = []
        self.syntax = nil
        self.error = error
        self.lineStarts = lineStarts
    }

    /// The same file without its bytes, comments and tree: enough for `errorDescription` and
    /// `position(of:)`, kept for files that failed to parse while the loader moves on.
    public func withoutContents() -> SourceFile {
        SourceFile(path: path, lineStarts: lineStarts, error: error)
    }

    /// 1-based line and byte column of an offset, like go/token.
    public func position(of offset: Int32) -> (line: Int, column: Int) {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return (low + 1, Int(offset - lineStarts[low]) + 1)
    }

    /// The text of line `line` (1-based), without its newline.
    public func lineText(_ line: Int) -> String {
        guard line >= 1 && line <= lineStarts.count else { return "" }
        let start = Int(lineStarts[line - 1])
        var end = line < lineStarts.count ? Int(lineStarts[line]) - 1 : bytes.count
        if end > start && bytes[end - 1] == 0x0D { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// The text of a comment.
    public func text(of comment: Comment) -> String {
        String(decoding: bytes[Int(comment.start)..<Int(comment.end)], as: UTF8.self)
    }

    /// `path:line:col: message` for the syntax error, if any.
    public var errorDescription: String? {
        guard let error else { return nil }
        let (line, column) = position(of: Int32(error.offset))
        return "\(path):\(line):\(column): \(error.message)"
    }
}

/// Answers "is this offset inside a comment?" for offsets asked in increasing order, walking the
/// file's comments once.
public struct CommentCursor {
    private let comments: [Comment]
    private var next = 0

    public init(_ file: SourceFile) { comments = file.comments }

    /// Whether `offset` lies in a comment; each call's offset must be at least the last one's.
    public mutating func covers(_ offset: Int) -> Bool {
        while next < comments.count && Int(comments[next].end) <= offset { next += 1 }
        return next < comments.count && Int(comments[next].start) <= offset
    }
}
