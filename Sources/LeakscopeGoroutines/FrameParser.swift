import LeakscopeBytes
import LeakscopeProfile

/// Reads the lines that make up a stack in a traceback:
///
///     main.(*T).run(0xc000010000, {0x4b2a80?, 0xc00001a0f0}, ...)     function line
///     \t/src/app/main.go:42 +0x1d fp=0xc00004e7d0 sp=0xc00004e7b0 pc=0x47e2dd   file line
///     ...27 frames elided...                                           Go 1.21+ (...additional frames elided... before)
///     created by main.start in goroutine 1                             "in goroutine N" since Go 1.21
///     [originating from goroutine 5]:                                 GODEBUG=tracebackancestors
enum FrameParser {
    /// A function line: a name without spaces, then `(args)` closing the line. Returns the
    /// name and whether the arguments were `...` (inlined or ancestor frames).
    @inline(__always)
    static func parseFunction(_ s: ByteLine) -> (name: ByteLine, argumentsElided: Bool)? {
        guard s.count >= 3, s[s.count - 1] == UInt8(ascii: ")"),
              let open = s.lastIndex(of: UInt8(ascii: "("), before: s.count - 1), open > 0 else { return nil }
        // Argument lists hold hex words, braces, "...", "_" and "?"; no parentheses. The name may
        // hold them ("main.(*T).M"), but never a space, which rules out most log lines.
        if s.sub(0, open).index(of: UInt8(ascii: " ")) != nil { return nil }
        let elided = open + 5 == s.count && s.has("...", at: open + 1)
        return (s.sub(0, open), elided)
    }

    /// A file line (leading whitespace already removed): `path:line[ +0xoff][ fp=… sp=… pc=…]`.
    /// The path may hold ':' and spaces, so the last ':' is the separator.
    @inline(__always)
    static func parseFile(_ s: ByteLine) -> (path: ByteLine, line: Int64, offset: UInt64?)? {
        // The text after the separator is digits and " +0x…"/" fp=0x…", which hold no ':'.
        guard let colon = s.lastIndex(of: UInt8(ascii: ":")), colon > 0 else { return nil }
        // Line numbers and offsets are short; at most 18 decimal or 15 hex digits cannot overflow.
        var i = colon + 1
        var line: Int64 = 0
        while i < s.count, i - colon <= 18 {
            let d = s[i] &- 48
            if d >= 10 { break }
            line = line &* 10 &+ Int64(d)
            i += 1
        }
        guard i > colon + 1 else { return nil }
        var offset: UInt64? = nil
        if i < s.count {
            guard s[i] == UInt8(ascii: " ") else { return nil }
            if i + 4 < s.count, s[i + 1] == UInt8(ascii: "+"), s[i + 2] == UInt8(ascii: "0"), s[i + 3] == UInt8(ascii: "x") {
                var j = i + 4
                var v: UInt64 = 0
                while j < s.count, j - i <= 19 {
                    let c = s[j]
                    let d: UInt8
                    if c &- 48 < 10 { d = c &- 48 } else if c &- 97 < 6 { d = c &- 87 } else { break }
                    v = v << 4 | UInt64(d)
                    j += 1
                }
                if j > i + 4 { offset = v }
            }
        } else if i - colon > 18 {
            return nil
        }
        return (s.sub(0, colon), line, offset)
    }

    /// `...N frames elided...` → N; `...additional frames elided...` → -1; otherwise nil.
    @inline(__always)
    static func parseElision(_ s: ByteLine) -> Int64? {
        guard s.has("..."), s.ends(with: " elided...") else { return nil }
        if s.has("...additional frames") { return -1 }
        guard let (n, end) = parseDecimal(s, 3), s.has(" frames elided...", at: end) || s.has(" frame elided...", at: end) else { return nil }
        return n
    }

    /// `created by F[ in goroutine N]` → (F, N or 0).
    @inline(__always)
    static func parseCreator(_ s: ByteLine) -> (name: ByteLine, parent: Int64)? {
        guard s.has("created by ") else { return nil }
        let nameStart = 11
        var end = nameStart
        while end < s.count, s[end] != UInt8(ascii: " ") { end += 1 }
        guard end > nameStart else { return nil }
        var parent: Int64 = 0
        if s.has(" in goroutine ", at: end), let (n, _) = parseDecimal(s, end + 14) { parent = n }
        return (s.sub(nameStart, end), parent)
    }

    /// `[originating from goroutine N]:` → N.
    @inline(__always)
    static func parseAncestorHeader(_ s: ByteLine) -> Int64? {
        guard s.has("[originating from goroutine "), let (n, end) = parseDecimal(s, 28), s.has("]:", at: end) else { return nil }
        return n
    }
}
