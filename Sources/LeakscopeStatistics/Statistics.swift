/// Small numeric helpers: least-squares lines, percentiles, means.
/// All of them tolerate empty input and ignore non-finite values.
public enum Statistics {
    /// A least-squares line `y = slope·x + intercept` and how well it fits.
    public struct Line: Sendable, Hashable {
        /// Change in y per unit of x.
        public var slope: Double
        /// y at x = 0.
        public var intercept: Double
        /// 0…1; 0 when y is constant (a flat series has no trend to explain).
        public var rSquared: Double

        /// The line's y at `x`, to compare a measurement with the trend.
        public func value(at x: Double) -> Double { slope * x + intercept }
    }

    /// The least-squares line through the pairs of `xs` and `ys` (non-finite pairs dropped).
    /// Nil with fewer than two points or when every x is the same.
    public static func fit(_ xs: [Double], _ ys: [Double]) -> Line? {
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
    public static func percentile(_ values: [Double], _ fraction: Double) -> Double? {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return nil }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    /// The mean of the finite values; nil when there are none.
    public static func mean(_ values: [Double]) -> Double? {
        let finite = values.filter(\.isFinite)
        return finite.isEmpty ? nil : finite.reduce(0, +) / Double(finite.count)
    }
}
