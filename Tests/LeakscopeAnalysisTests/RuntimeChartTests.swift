import Testing
@testable import LeakscopePresentation

/// The terminal charts: scaling, resampling, labels, colour only on request, and odd input.
@Suite struct RuntimeChartTests {
    @Test func sparklineScalesBetweenMinAndMax() {
        #expect(TerminalChart.sparkline([0, 7]) == "▁█")
        #expect(TerminalChart.sparkline([1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█")
        #expect(TerminalChart.sparkline([5, 5, 5]) == "▁▁▁")
        #expect(TerminalChart.sparkline([]) == "")
        #expect(TerminalChart.sparkline([1, .nan, 3]) == "▁ █")
        #expect(TerminalChart.sparkline([0, 10], range: 0...20) == "▁▅")
        // 100 values in 10 columns: the mean of each run of 10, or its max.
        let ramp = (0..<100).map(Double.init)
        #expect(TerminalChart.sparkline(ramp, width: 10).count == 10)
        let spike = (0..<100).map { $0 == 55 ? 100.0 : 0 }
        #expect(TerminalChart.sparkline(spike, width: 10, reduction: .max) == "▁▁▁▁▁█▁▁▁▁")
    }

    @Test func columnsHaveLabelsAxisAndNoColourUnlessAsked() {
        let chart = TerminalChart.columns([0, 2, 4, 8], title: "heap", unit: "MiB", width: 20, height: 4,
                                          xStart: "0 s", xEnd: "9 s")
        let lines = chart.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "heap (MiB)  last 8  min 0  max 8")
        #expect(lines[1].hasPrefix("8 │"))
        #expect(lines[4].hasPrefix("0 │"))
        #expect(lines[5] == "  └────")
        #expect(lines[6] == "   0 s 9 s")
        #expect(lines[1] == "8 │   █")
        #expect(lines[4] == "0 │ ███")
        #expect(!chart.contains("\u{1B}"))
        let colored = TerminalChart.columns([1, 2], title: "x", color: .cyan)
        #expect(colored.contains("\u{1B}[36m") && colored.contains("\u{1B}[0m"))
        // Every row is the same width: gutter + " │" + one cell per column.
        let rows = lines[1...4].map(\.count)
        #expect(Set(rows).count == 1)
    }

    @Test func columnsSurviveOddInput() {
        #expect(TerminalChart.columns([], title: "empty").contains("(no data)"))
        #expect(TerminalChart.columns([.nan, .infinity], title: "junk").contains("(no data)"))
        let huge = TerminalChart.columns([1e300, -1e300, 0], title: "huge", width: 3, height: 2)
        #expect(TerminalChart.sparkline([1.7e308, -1.7e308, 0]).count == 3)
        #expect(TerminalChart.columns([1.7e308, -1.7e308], title: "overflowing span").contains("│"))
        #expect(TerminalChart.bars([("x", 1.7e308), ("y", -5)], width: 10).contains("█"))
        #expect(huge.contains("│"))
        let long = TerminalChart.columns((0..<100_000).map(Double.init), title: "long", width: 50, height: 3)
        let top = long.split(separator: "\n")[1]
        // 50 columns of 2,000 values each; the scale's top is the last column's mean.
        #expect(top.split(separator: "│").last?.count == 50)
        #expect(top.hasPrefix("99k │"))
        #expect(TerminalChart.columns([3], title: "one", width: 0, height: 0).contains("│"))
    }

    @Test func barsAndLabels() {
        let bars = TerminalChart.bars([("a", 10), ("bb", 5), ("c", 0)], width: 8, unit: "ms")
        let lines = bars.split(separator: "\n").map(String.init)
        #expect(lines[0] == "a   ████████ 10 ms")
        #expect(lines[1] == "bb  ████     5 ms")
        #expect(lines[2] == "c            0 ms")
        #expect(TerminalChart.label(12_345) == "12.3k")
        #expect(TerminalChart.label(0.0123) == "0.012")
        #expect(TerminalChart.label(3_500_000) == "3.5M")
        #expect(TerminalChart.label(-42) == "-42")
        #expect(TerminalChart.label(.nan) == "n/a")
    }
}
