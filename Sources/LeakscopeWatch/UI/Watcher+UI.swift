import LeakscopeWatchRules

/// One row of the fleet page: the target's live state and its latest points for the sparklines.
struct FleetRow: Sendable {
    var view: TargetView
    /// Seconds since 1970 of the last poll (nil before the first).
    var lastPoll: Double?
    var goroutines: [Point]
    var heap: [Point]
}

extension Watcher {
    /// Every target in configured order with at most `points` latest goroutine and heap points
    /// (from memory, so the fleet page costs no store read however many targets there are).
    func fleetRows(points: Int) -> [FleetRow] {
        targetViews().map { view in
            let state = states[view.url]
            return FleetRow(view: view, lastPoll: state?.lastPoll,
                            goroutines: Array((state?.recent["goroutines"] ?? []).suffix(points)),
                            heap: Array((state?.recent["heap_inuse_bytes"] ?? []).suffix(points)))
        }
    }

    /// Alerts firing now (the bar's badge).
    func firingCount() -> Int { firing.count }
}
