import Foundation
import LeakscopeFindings
import LeakscopeFormat

/// The evidence a goroutine kind (`KindEvidence`) adds to a bucket's score: orphaned piles of
/// old and new goroutines in one dump, and goroutines that persist by ID across dumps while new
/// ones arrive.
struct KindScore {
    /// Evidence from the last dump alone.
    var single = 0.0
    /// Evidence from several dumps; nil when there was one dump or no IDs (the caller then
    /// judges growth by counts).
    var growth: Double?
    var evidence: [String] = []
    /// `net/http` client read loops waiting for response bodies nobody reads or closes: a leak
    /// even though the shape is healthy when idle.
    var bodyWait = false

    /// The function of the `net/http` client goroutine that waits for a response body.
    static let clientReadLoop = "net/http.(*persistConn).readLoop"

    init() {}

    init(_ bucket: AnalyzedBucket, kind e: KindEvidence?, thresholds t: DetectionThresholds) {
        guard let e, GoroutineKinds.isParked(bucket.kind) else { return }
        let bodyWait = bucket.function?.function == Self.clientReadLoop
        // Healthy long-lived shapes are judged by growth alone (Suspect).
        if bucket.healthyShape != nil && !bodyWait { return }
        guard bucket.responsible != nil || bodyWait else { return }
        self.bodyWait = bodyWait
        let pile = bodyWait ? t.bodyWaitPile : t.minimumPile
        let orphaned = bodyWait || e.isOrphaned(t)
        let aged = bucket.waitMinutes.min >= 1
        let old = (e.oldest ?? 0) >= t.oldIDShare || aged
        if e.parked >= pile && orphaned && old {
            let arriving = (e.newest ?? 1) <= t.recentIDShare
            single = (arriving ? 50 : 40) + min(20, 5 * log2(Double(e.parked) / Double(pile)))
            if bodyWait {
                evidence.append("\(Numbers.count(e.parked)) client connections wait for a response body that is never read to the end or closed")
            } else {
                evidence.append("\(Numbers.count(e.creatorReturned)) of \(Numbers.count(e.parked)) were started by calls that have returned (\(Numbers.count(e.creators)) creator goroutines), so nothing that started them waits for them")
            }
            if aged {
                evidence.append("waiting \(SuspectScoring.minutesText(bucket.waitMinutes))")
            } else if let oldest = e.oldest {
                evidence.append("the oldest was created \(Numbers.percent(oldest)) of the way back through the dump's goroutine IDs"
                                + (arriving ? " and new ones keep arriving" : ""))
            }
        } else if aged && orphaned && e.parked >= 2 {
            single = 40
            evidence.append("\(Numbers.count(e.parked)) orphaned goroutines waiting \(SuspectScoring.minutesText(bucket.waitMinutes))")
        }
        guard e.dumps >= 2, let persistence = e.persistence else { return }
        if persistence >= t.persistenceShare && e.persistedThroughout > 0 {
            if e.arrivals > 0 {
                growth = 55 + min(25, 5 * log2(1 + Double(e.arrivals)))
                // A live owner still running the loop that starts them (a dispatcher adding a
                // worker per tenant) may be filling a bounded population: half the weight.
                // (Before Go 1.21 dumps name no creator goroutine: no owner is known.)
                let owned = e.creators > 0 && Double(e.creatorReturned) < t.orphanShare * Double(e.parked)
                if !bodyWait && owned { growth = (growth ?? 0) / 2 }
                evidence.append("grew \(e.counts.map(Numbers.count).joined(separator: " → ")): the same \(Numbers.count(e.persistedThroughout)) goroutines (same IDs) wait here in all \(e.dumps) dumps while \(Numbers.count(e.arrivals)) new ones arrived")
            } else {
                growth = 0  // saturated: a population that stopped growing
            }
        } else if persistence < 0.5 {
            // The series shows them ending: what one dump suggested is turnover.
            single /= 2
            growth = -20
            evidence.append("\(Numbers.percent(1 - persistence)) of the first dump's goroutines here have ended since (turnover)")
        } else {
            growth = 0
        }
    }
}
