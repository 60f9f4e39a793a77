import LeakscopeBytes

/// Parses scavenger lines: `scavtrace=1` (`printScavTrace` in Go's `runtime/mgcscavenge.go`, three
/// forms over the years) and the `scvgN:` lines old runtimes printed under `gctrace=1`.
enum ScavLineParser {
    /// `scav ` then a digit.
    static func isMarker(_ cursor: LineCursor) -> Bool {
        cursor.looksAt("scav ") && (cursor.byte(at: 5)?.isDigit ?? false)
    }

    /// `scav [gen ]N KiB work[ (bg)], [N KiB work (eager), ]N KiB now|total, N% util[ (forced)| [controller reset]]`.
    static func parse(_ start: LineCursor, line: Int) -> ScavengeSample? {
        var cursor = start
        guard cursor.expect("scav ") else { return nil }
        var work: Int?, eager: Int?, released: Int?, util: Int?
        var forced = false, reset = false
        guard let first = cursor.integer() else { return nil }
        var pending: Int? = first
        // Older runtimes: "scav <generation> <N> KiB work".
        if cursor.peek == 0x20, cursor.byte(at: 1)?.isDigit == true {
            cursor.position += 1
            pending = cursor.integer()
        }
        while let value = pending {
            pending = nil
            if cursor.expect(" KiB work (eager)") {
                eager = value
            } else if cursor.expect(" KiB work") {
                _ = cursor.expect(" (bg)")
                work = value
            } else if cursor.expect(" KiB now") || cursor.expect(" KiB total") {
                released = value
            } else if cursor.expect("% util") {
                util = value
                if cursor.expect(" (forced)") { forced = true } else if cursor.expect(" [controller reset]") { reset = true }
                break
            } else {
                return nil
            }
            guard cursor.expect(", "), let next = cursor.integer() else { return nil }
            pending = next
        }
        guard let work, let released, let util else { return nil }
        return ScavengeSample(workKiB: work, eagerKiB: eager, releasedKiB: released, utilPercent: util,
                              forced: forced, controllerReset: reset, line: line)
    }

    /// `scvg` then a digit.
    static func isLegacyMarker(_ cursor: LineCursor) -> Bool {
        cursor.looksAt("scvg") && (cursor.byte(at: 4)?.isDigit ?? false)
    }

    enum Legacy {
        case sample(LegacyScavengeSample)
        /// `scvg0: 12 MB released`: recognised, nothing to keep.
        case released
    }

    static func parseLegacy(_ start: LineCursor, line: Int) -> Legacy? {
        var cursor = start
        guard cursor.expect("scvg"), cursor.integer() != nil, cursor.expect(": ") else { return nil }
        if let _ = cursor.integer() {
            return cursor.expect(" MB released") ? .released : nil
        }
        guard cursor.expect("inuse: "), let inuse = cursor.integer(),
              cursor.expect(", idle: "), let idle = cursor.integer(),
              cursor.expect(", sys: "), let sys = cursor.integer(),
              cursor.expect(", released: "), let released = cursor.integer(),
              cursor.expect(", consumed: "), let consumed = cursor.integer(),
              cursor.expect(" (MB)")
        else { return nil }
        return .sample(LegacyScavengeSample(inuseMB: inuse, idleMB: idle, sysMB: sys, releasedMB: released,
                                            consumedMB: consumed, line: line))
    }
}
