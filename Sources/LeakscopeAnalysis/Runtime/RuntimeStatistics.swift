/// Small numeric helpers for the runtime-log summary: least-squares lines, percentiles, downsampling.
/// All of them tolerate empty input and non-finite values.
enum RuntimeStatistics {
    /// A least-squares line `y = slope·x + intercept` and how well it fits.
    struct Line: Sendable, Hashable {
        var slope: Double
        var intercept: Double
        /// 0…1; 0 when y is constant (a flat series has no trend to explain).
        var rSquared: Double

        func value(at x: Double) -> Double { slope * x + intercept }
    }

    /// Nil with fewer than two points or when every x is the same.
    static func fit(_ xs: [Double], _ ys: [Double]) -> Line? {
        let pairs = zip(xs, ys).filter { $0.0.isFinite && $0.1.isFinite }
        guard pairs.count >= 2 else { return nil }
        let n = Double(pairs.count)
        let meanX = pairs.reduce(0) { $0 + $1.0 } / n
        let meanY = pairs.reduce(0) { $0 + $1.1 } / n
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        for (x, y) in pairs {
            sxx += (x - meanX) * (x - meanX)
            sxy += (x - meanX) * (y - meanY)
            syy += (y - meanY) * (y - meanY)
        }
        guard sxx > 0 else { return nil }
        let slope = sxy / sxx
        let rSquared = syy > 0 ? min(1, max(0, (sxy * sxy) / (sxx * syy))) : 0
        return Line(slope: slope, intercept: meanY - slope * meanX, rSquared: rSquared)
    }

    /// The value below which `fraction` of the values lie (nearest rank); nil when empty.
    static func percentile(_ values: [Double], _ fraction: Double) -> Double? {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return nil }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    static func mean(_ values: [Double]) -> Double? {
        let finite = values.filter(\.isFinite)
        return finite.isEmpty ? nil : finite.reduce(0, +) / Double(finite.count)
    }

    /// At most `limit` points, each the mean (or max) of a run of neighbours, time taken from the run's last point.
    static func downsample(_ points: [RuntimeSummary.Point], to limit: Int, useMax: Bool = false) -> [RuntimeSummary.Point] {
        guard points.count > limit, limit > 0 else { return points }
        var result: [RuntimeSummary.Point] = []
        result.reserveCapacity(limit)
        for bucket in 0..<limit {
            let start = bucket * points.count / limit
            let end = max(start + 1, (bucket + 1) * points.count / limit)
            let slice = points[start..<end]
            let value = useMax ? (slice.map(\.value).max() ?? 0) : slice.reduce(0) { $0 + $1.value } / Double(slice.count)
            result.append(RuntimeSummary.Point(seconds: slice.last?.seconds ?? 0, value: value))
        }
        return result
    }
}
