extension RuntimeSummary {
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
