import LeakscopeFormat
import Foundation
import LeakscopeFindings

/// Why a bucket looks like a leak, how strongly, and what to do about it.
public struct Suspect: Hashable, Sendable {
    /// 0–100; buckets at or above `SuspectScoring.threshold` are suspects.
    public var score: Int
    /// The evidence in words.
    public var reason: String
    /// The fix for this shape of leak, when leakscope knows one.
    public var remedy: String?
    /// 1 for the strongest suspect.
    public var rank: Int = 0
}

/// Combines growth, `(leaked)` marks, wait age, count and kind into a score.
///
/// The strongest evidence is a bucket that grows across dumps while its old goroutines stay
/// (nothing ends them), and the runtime's own leak detector. Without either, only shapes that
/// cannot end (nil channels, `select {}`), long lock waits, very long waits and very large
/// counts count. Healthy long-lived shapes and the main goroutine are damped, so a healthy
/// service shows no suspects.
public enum SuspectScoring {
    /// The score from which a bucket is a suspect (`DetectionThresholds.warning`).
    public static let threshold = DetectionThresholds.standard.warning

    static func score(_ bucket: AnalyzedBucket, dumps: Int, kindEvidence: KindEvidence? = nil,
                      thresholds: DetectionThresholds = .standard) -> Suspect? {
        let kind = bucket.kind
        let kindWeight: Double = switch kind {
        case .running, .runtime, .synctest, .other: 0
        case .syscall: 0.3
        case .sleep: 0.5
        case .ioWait, .unknown: 0.8
        default: 1
        }
        guard kindWeight > 0, bucket.count > 0 else { return nil }
        var evidence: [String] = []
        var single = 0.0  // evidence from this dump alone
        var growth = 0.0  // evidence from several dumps

        if bucket.leaked > 0 {
            single += bucket.leaked * 2 >= bucket.count ? 60 : 40
            evidence.append("the runtime's goroutineleak detector marked \(Numbers.count(bucket.leaked)) of them leaked")
        }
        if kind.isStuckByDefinition {
            single += 55
            evidence.append(kind == .nilChannel ? "a nil channel never becomes ready" : "select {} never returns")
        }
        let age = bucket.waitMinutes
        if (kind == .mutex || kind == .rwMutex) && age.median >= 1 {
            single += age.median >= 10 ? 55 : 45
            evidence.append("waiting for a \(kind.phrase) for \(minutesText(age)) (locks are held for moments)")
        } else if kind.isLockWait && age.median >= 1 {
            // Pools park on a Cond and coordinators on a WaitGroup for long: weaker evidence.
            single += age.median >= 10 ? 40 : 25
            evidence.append("waiting on a \(kind.phrase) for \(minutesText(age))")
        } else if age.median >= 10 {
            single += age.median >= 60 ? 25 : 15
            evidence.append("waiting \(minutesText(age))")
        }
        if kind != .sleep {
            if bucket.count >= 10_000 {
                single += 25
                evidence.append("\(Numbers.count(bucket.count)) goroutines in one place")
            } else if bucket.count >= 1_000 {
                single += 15
                evidence.append("\(Numbers.count(bucket.count)) goroutines in one place")
            }
        }

        // Orphaned piles in one dump, persistence by goroutine ID across dumps (KindScoring).
        let byKind = KindScore(bucket, kind: kindEvidence, thresholds: thresholds)
        single += byKind.single
        evidence += byKind.evidence

        var strictGrowth = false
        if let kindGrowth = byKind.growth {
            growth = kindGrowth
            strictGrowth = kindGrowth > 0
        } else if let g = bucket.growth, g.delta > 0, bucket.ids.isEmpty || g.new > 0 {
            // Growth alone could be load; growth while the old ones stay is accumulation. With
            // goroutine IDs, growth needs goroutines new to the process: when every one here
            // already ran elsewhere in the dump before (kept-alive connections caught in a
            // handler 2, then 3, then 6 times), a stable population moved, nothing piled up.
            let stays = g.persistence.map { $0 >= 0.9 } ?? true
            strictGrowth = g.growsInEveryInterval && stays
            let perDump = Double(g.delta) / Double(max(dumps - 1, 1))
            let magnitude = min(25, 5 * log2(1 + perDump))
            if strictGrowth {
                growth = 50 + magnitude
            } else if g.growsSteadily && stays {
                growth = 20 + magnitude / 2
            } else if g.growsSteadily {
                growth = 10
            }
            // One or two more goroutines is weak evidence: a new connection or subscriber.
            growth *= g.delta == 1 ? 0.5 : g.delta == 2 ? 0.7 : 1
            if growth > 0 {
                var text = "grew \(g.counts.map(Numbers.count).joined(separator: " → "))"
                if let rate = g.perMinute { text += " (\(rateText(rate))/min)" }
                if g.persistence != nil { text += stays ? ", none of the earlier ones ended" : ", but most earlier ones ended" }
                evidence.append(text)
            }
        } else if let g = bucket.growth, g.delta < 0 {
            growth = -20
        }

        var scoreValue = (single + growth) * kindWeight
        if let shape = bucket.healthyShape, !byKind.bodyWait {
            // A known healthy shape needs growth to be suspicious (e.g. keep-alive connections
            // piling up because response bodies are never closed).
            scoreValue = shape.remedyWhenGrowing == nil || !strictGrowth ? 0 : growth * 0.8 * kindWeight + single * 0.2
        }
        let score = Int(max(0, min(100, scoreValue.rounded())))
        guard score >= thresholds.warning else { return nil }

        var reason = "\(Numbers.count(bucket.count)) goroutine\(bucket.count == 1 ? "" : "s")"
        if !bucket.state.isEmpty { reason += " in \(bucket.state)" }
        if let site = bucket.blockingSite { reason += " at \(site.short)" }
        reason += ": " + evidence.joined(separator: "; ")
        var remedy = Remedy.forKind(kind)?.text
        if let shape = bucket.healthyShape, let growing = shape.remedyWhenGrowing {
            reason += " (\(shape.name))"
            remedy = growing
        }
        return Suspect(score: score, reason: reason, remedy: remedy)
    }

    static func minutesText(_ age: WaitMinutes) -> String {
        age.min == age.max ? "\(age.max) minutes" : "\(age.min)–\(age.max) minutes (median \(age.median))"
    }

    package static func rateText(_ rate: Double) -> String {
        rate == 0 ? "0" : Numbers.signed(rate)
    }
}
