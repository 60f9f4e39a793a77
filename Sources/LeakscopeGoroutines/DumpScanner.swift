import LeakscopeBytes
import LeakscopeProfile

/// The traceback state machine: reads runtime.Stack / debug=2 / crash output one line at a time.
///
/// Lines are trimmed of leading blanks (some logs indent dumps) and of a trailing `\r`. Anything
/// that is not part of a goroutine — log lines before, between and after goroutines, `panic:`
/// messages, `SIGQUIT: quit`, register dumps, `exit status 2` — is passed over and counted in
/// `skippedLines`; a line that breaks off a goroutine mid-stack also gets a warning.
///
/// States, in the order a goroutine goes through them:
struct DumpScanner {
    enum State {
        /// Between goroutines. Shape: anything. Leaves on a header
        /// (`goroutine 7 [chan receive]:`) for `.firstFrame`.
        /// Comes from: the start, a blank line ending a goroutine, a line breaking one off.
        case outside
        /// Just after a header. Shape: `pkg.F(args)` → `.file`;
        /// `goroutine running on other thread; stack unavailable` → `.afterFrame`;
        /// a blank line → `.outside` (empty stack). Comes from: `.outside`, `.afterFrame`.
        case firstFrame
        /// After a function line. Shape: `\t/path/file.go:12 +0x1d[ fp=… sp=… pc=…]` → `.afterFrame`.
        /// Anything else breaks the goroutine off (warning) → `.outside`.
        case file
        /// After a complete frame. Shapes: another function line → `.file`; `...N frames elided...`
        /// or `non-Go function at pc=0x…` (an unsymbolized cgo frame) → `.afterFrame`; `created by F in goroutine N` → `.creatorFile`; `[originating from
        /// goroutine N]:` → `.firstFrame` (now filling an ancestor); a header → `.firstFrame` of
        /// the next goroutine; a blank line → `.outside`.
        case afterFrame
        /// After `created by`. Shape: `\t/path/file.go:80 +0x32` → `.afterCreator`.
        case creatorFile
        /// After the creator's file line. Shapes: `[originating from goroutine N]:` → `.firstFrame`;
        /// a header → `.firstFrame`; blank or anything else → `.outside` (goroutine complete).
        case afterCreator
    }

    var state = State.outside
    var header = HeaderParser()
    /// The goroutine being read (valid unless `.outside`).
    private var current = Goroutine(id: 0, state: .empty, stack: StackID(rawValue: 0))
    private var frames: ContiguousArray<Frame> = []
    private var elision: Elision? = nil
    /// Non-nil while filling an ancestor block: its goroutine ID.
    private var ancestorID: Int64? = nil
    private var pendingFunction = NameID.empty
    private var pendingFlags = FrameFlags()
    /// Line and offset where the current goroutine began, for warnings.
    private var startLine = 0
    private var startOffset = 0

    init() {
        frames.reserveCapacity(128)
    }

    var isInsideGoroutine: Bool {
        if case .outside = state { return false }
        return true
    }

    /// Feeds one line (without its newline).
    mutating func consume(_ raw: ByteLine, number: Int, offset: Int, builder: inout DumpBuilder) {
        var lo = 0, hi = raw.count
        while lo < hi, isSpaceOrTab(raw[lo]) { lo += 1 }
        while hi > lo, raw[hi - 1] == 13 || raw[hi - 1] == 32 { hi -= 1 }
        let indented = lo > 0
        let s = raw.sub(lo, hi)

        switch state {
        case .outside:
            startIfHeader(s, number: number, offset: offset, builder: &builder)

        case .file, .creatorFile:
            if indented, let (path, line, off) = FrameParser.parseFile(s) {
                let file = builder.dump.names.intern(bytes: path)
                var flags = pendingFlags
                if off != nil { flags.insert(.hasPCOffset) }
                if ancestorID == nil, flags.contains(.argumentsElided), off == nil { flags.insert(.inlined) }
                let frame = Frame(function: pendingFunction, file: file, line: clampToInt32(line),
                                  pcOffset: UInt32(truncatingIfNeeded: min(off ?? 0, UInt64(UInt32.max))), flags: flags)
                if case .file = state {
                    frames.append(frame)
                    state = .afterFrame
                } else {
                    let site = builder.internSite(frame)
                    if ancestorID != nil { pendingAncestorSite = site } else { current.createdBy = site }
                    state = .afterCreator
                }
            } else {
                builder.warn(.unexpectedLine, line: number, offset: offset,
                             "goroutine \(current.id) broken off: expected a file line, found \"\(s.excerpt)\"")
                // Keep the frame with an unknown file rather than lose the function.
                if case .file = state {
                    frames.append(Frame(function: pendingFunction, file: .empty, line: 0, flags: pendingFlags))
                }
                current.flags.insert(.truncated)
                end(builder: &builder)
                builder.dump.skippedLines += 1
                startIfHeader(s, number: number, offset: offset, builder: &builder, countSkipped: false)
            }

        case .firstFrame, .afterFrame:
            if s.count == 0 {
                end(builder: &builder)
                return
            }
            let c = s[0]
            if c == UInt8(ascii: "g"), HeaderParser.looksLikeHeader(s) {
                end(builder: &builder)
                startIfHeader(s, number: number, offset: offset, builder: &builder)
                return
            }
            if let (name, elided) = FrameParser.parseFunction(s) {
                pendingFunction = builder.dump.names.intern(bytes: name)
                pendingFlags = elided ? .argumentsElided : []
                state = .file
                return
            }
            if c == UInt8(ascii: "."), let n = FrameParser.parseElision(s) {
                elision = Elision(afterFrame: Int32(truncatingIfNeeded: frames.count), count: n < 0 ? nil : clampToInt32(n))
                state = .afterFrame
                return
            }
            if c == UInt8(ascii: "c"), let (name, parent) = FrameParser.parseCreator(s) {
                pendingFunction = builder.dump.names.intern(bytes: name)
                pendingFlags = []
                if ancestorID == nil { current.parentID = parent }
                state = .creatorFile
                return
            }
            if c == UInt8(ascii: "["), let id = FrameParser.parseAncestorHeader(s) {
                beginAncestor(id, builder: &builder)
                return
            }
            if c == UInt8(ascii: "n"), s.has("non-Go function at pc=") {
                // A cgo frame the runtime could not symbolize: keep its place in the stack.
                frames.append(Frame(function: builder.dump.names.intern(bytes: s.sub(0, 15)), file: .empty, line: 0))
                state = .afterFrame
                return
            }
            if case .firstFrame = state, s.has("goroutine running on other thread") {
                current.flags.insert(.stackUnavailable)
                state = .afterFrame
                return
            }
            builder.warn(.unexpectedLine, line: number, offset: offset,
                         "goroutine \(current.id) ended by a line that is not part of a traceback: \"\(s.excerpt)\"")
            end(builder: &builder)
            builder.dump.skippedLines += 1

        case .afterCreator:
            if s.count > 0, s[0] == UInt8(ascii: "["), let id = FrameParser.parseAncestorHeader(s) {
                beginAncestor(id, builder: &builder)
                return
            }
            end(builder: &builder)
            if s.count > 0 { startIfHeader(s, number: number, offset: offset, builder: &builder) }
        }
    }

    private var pendingAncestorSite: Int32 = -1

    private mutating func startIfHeader(_ s: ByteLine, number: Int, offset: Int, builder: inout DumpBuilder,
                                        countSkipped: Bool = true) {
        guard let h = header.parse(s, into: &builder) else {
            if countSkipped { builder.dump.skippedLines += 1 }
            if HeaderParser.looksLikeHeader(s), s.count > 0, s[s.count - 1] == UInt8(ascii: ":") {
                builder.warn(.malformed, line: number, offset: offset, "unreadable goroutine header \"\(s.excerpt)\"")
            }
            return
        }
        current = Goroutine(id: h.id, state: h.state, waitMinutes: h.waitMinutes, flags: h.flags,
                            synctestBubble: h.bubble, stack: StackID(rawValue: 0), labelSet: h.labelSet,
                            line: clampToInt32(Int64(number)))
        let a = Int32(truncatingIfNeeded: builder.dump.ancestors.count)
        current.ancestors = a..<a
        frames.removeAll(keepingCapacity: true)
        elision = nil
        ancestorID = nil
        startLine = number
        startOffset = offset
        state = .firstFrame
    }

    private mutating func beginAncestor(_ id: Int64, builder: inout DumpBuilder) {
        closeBlock(builder: &builder)
        ancestorID = id
        pendingAncestorSite = -1
        state = .firstFrame
    }

    /// Stores the frames read so far as the goroutine's stack or as the open ancestor's.
    private mutating func closeBlock(builder: inout DumpBuilder) {
        let stack = builder.internStack(frames, elision: elision)
        if let id = ancestorID {
            builder.dump.ancestors.append(Ancestor(id: id, stack: stack, createdBy: pendingAncestorSite))
            current.ancestors = current.ancestors.lowerBound..<Int32(truncatingIfNeeded: builder.dump.ancestors.count)
        } else {
            current.stack = stack
            if builder.stackIsSystem[Int(stack.rawValue)] { current.flags.insert(.system) }
        }
        frames.removeAll(keepingCapacity: true)
        elision = nil
    }

    /// Finishes the current goroutine and returns to `.outside`.
    mutating func end(builder: inout DumpBuilder) {
        guard isInsideGoroutine else { return }
        closeBlock(builder: &builder)
        builder.dump.goroutines.append(current)
        ancestorID = nil
        state = .outside
    }

    /// At end of input: closes an open goroutine, marking it truncated if it stopped mid-frame.
    mutating func finish(lineNumber: Int, offset: Int, builder: inout DumpBuilder) {
        switch state {
        case .outside, .afterFrame, .afterCreator:
            break
        case .firstFrame:
            if ancestorID != nil || current.flags.contains(.stackUnavailable) { break }
            current.flags.insert(.truncated)
            builder.warn(.truncated, line: lineNumber, offset: offset, "input ends after the header of goroutine \(current.id)")
        case .file, .creatorFile:
            if case .file = state { frames.append(Frame(function: pendingFunction, file: .empty, line: 0, flags: pendingFlags)) }
            current.flags.insert(.truncated)
            builder.warn(.truncated, line: lineNumber, offset: offset, "input ends inside goroutine \(current.id), before a file line")
        }
        end(builder: &builder)
    }

    /// Marks the last goroutine as cut short (used when the final line had no newline).
    mutating func markLastTruncated(builder: inout DumpBuilder) {
        if isInsideGoroutine { current.flags.insert(.truncated) } else if !builder.dump.goroutines.isEmpty {
            builder.dump.goroutines[builder.dump.goroutines.count - 1].flags.insert(.truncated)
        }
    }
}
