import Testing
import LeakscopeBytes

/// Escaping as Go's `%q` does, checked against strings whose `%q` form Go prints (see
/// `strconv.Quote`): `"a\x1b[2Jb\r\n\t\a\u0085\u2028"`.
@Suite struct TerminalTextTests {
    @Test func quoteMatchesGo() {
        #expect(TerminalText.quote("a\u{1B}[2Jb\r\n\t\u{07}\u{85}\u{2028}\"\\") == #""a\x1b[2Jb\r\n\t\a\u0085\u2028\"\\""#)
        #expect(TerminalText.quote("plain é 世界") == "\"plain é 世界\"")
        #expect(TerminalText.escapeControls("x\u{7F}\u{0B}\u{0C}\u{08}") == #"x\x7f\v\f\b"#)
    }

    @Test func sanitizeKeepsLayoutAndOwnColours() {
        let ours = Array("\u{1B}[1;31mred\u{1B}[0m\tcol\n".utf8)
        #expect(TerminalText.sanitize(ours, keepingColor: true) == ours)
        #expect(TerminalText.sanitize(ours, keepingColor: false) == Array(#"\x1b[1;31mred\x1b[0m"#.utf8) + Array("\tcol\n".utf8))
        // Conceal (8), cursor movement and OSC title sequences are escaped even with colour on.
        let hostile = Array("\u{1B}[8mhidden\u{1B}[2J\u{1B}]0;title\u{07}\r\u{9B}".utf8)
        #expect(String(decoding: TerminalText.sanitize(hostile, keepingColor: true), as: UTF8.self)
            == #"\x1b[8mhidden\x1b[2J\x1b]0;title\a\r\u009b"#)
    }
}

@Suite struct InputLimitsTests {
    @Test func parsesSizesAndCounts() throws {
        let limits = try InputLimits.parse("input=4GiB, samples=100000000,ratio=1000,log=512MB")
        #expect(limits.maxInputBytes == 4 << 30)
        #expect(limits.maxSamples == 100_000_000)
        #expect(limits.maxInflationRatio == 1000)
        #expect(limits.maxLogBytes == 512 << 20)
        #expect(limits.maxStrings == InputLimits.defaults.maxStrings)
    }

    @Test func rejectsNonsense() {
        for text in ["input", "input=-1", "input=0", "bogus=1", "input=1e9", "input=99999999999999999999", "input=5parsecs"] {
            #expect(throws: OneLineError.self, "\(text)") { try InputLimits.parse(text) }
        }
    }
}
