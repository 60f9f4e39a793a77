import Foundation

extension Watcher {
    /// Re-reads the API's silences from the store (every few seconds, and at once after a change
    /// through this watcher's API). With PostgreSQL every watcher sees every silence.
    func refreshSilences() {
        do {
            storedSilences = try store.silences(endingAfter: Date().timeIntervalSince1970)
        } catch {
            log("cannot read silences: \(WatchStore.reason(error))")
        }
    }

    /// Every silence not yet ended: the config's, then the API's.
    public func silenceList() -> [Silence] {
        let now = Date().timeIntervalSince1970
        return config.silences.filter { $0.endsAt > now } + storedSilences
    }

    /// Whether an active silence covers `alert` (with its target's `labels`) now. Keeps the alert's
    /// `silenced` mark in step, in memory and in the store, and logs when it changes.
    func isSilenced(_ alert: inout AlertRecord, labels: [String: String]) -> Bool {
        let now = Date().timeIntervalSince1970
        let sent = Notifier.postable(alert, labels: labels, generatorURL: "", resendSeconds: resendSeconds, now: now).labels
        let silence = (config.silences + storedSilences).first { $0.matches(sent, at: now) }
        if (alert.silenced == true) != (silence != nil) {
            alert.silenced = silence == nil ? nil : true
            let key = Self.key(alert.target, alert.rule, alert.metric)
            if alert.state == "firing", firing[key]?.id == alert.id { firing[key] = alert }
            if alert.id != nil { try? store.updateAlert(alert) }
            if let silence {
                log("SILENCED \(alert.rule) on \(alert.target) (\(silence.comment.isEmpty ? "silence \(silence.id.map(String.init) ?? "from the config")" : silence.comment)): recorded, not sent")
            } else {
                log("UNSILENCED \(alert.rule) on \(alert.target)")
            }
        }
        return silence != nil
    }
}
