import Foundation
import LeakscopeWatchRules

extension Watcher {
    /// Heartbeats into a shared store and applies the grant: targets gained are loaded from the store
    /// and polled at once; targets lost are forgotten (their new owner loads them). SQLite: no-op.
    func refreshShard() {
        guard owned != nil else { return }
        let lease = config.shard.lease(interval: config.interval)
        let request = ShardRequest(watcher: shardID, targets: order, lease: lease, listen: externalURL)
        let grant: ShardGrant
        do {
            grant = try store.claimShard(request)
        } catch {
            // Keep polling what was held: the leases outlive one failed heartbeat, and the next one retries.
            log("shard heartbeat failed: \(WatchStore.reason(error))")
            return
        }
        let before = owned ?? []
        let gained = grant.owned.subtracting(before)
        let lost = before.subtracting(grant.owned)
        owned = grant.owned
        for url in lost {
            states[url]?.recent = [:]
            states[url]?.first = [:]
            firing = firing.filter { $0.value.target != url }
            ruleStates = ruleStates.filter { !$0.key.hasPrefix(url + "\u{0}") }
        }
        if !gained.isEmpty {
            do {
                try adopt(order.filter { gained.contains($0) })
            } catch {
                log("cannot load the history of \(gained.count) targets: \(WatchStore.reason(error))")
            }
            let now = Date().timeIntervalSince1970
            for url in gained {
                guard var state = states[url] else { continue }
                state.nextDue = min(state.nextDue, now)
                states[url] = state
            }
        }
        if !gained.isEmpty || !lost.isEmpty || grant.members != members {
            log("shard: polling \(grant.owned.count) of \(order.count) targets; watchers: \(grant.members.joined(separator: ", "))")
        }
        members = grant.members
    }

    /// Hands this watcher's targets over at once when it stops cleanly.
    func leaveShard() {
        guard owned != nil else { return }
        do {
            try store.leaveShard(watcher: shardID)
        } catch {
            log("cannot leave the shard: \(WatchStore.reason(error))")
        }
        owned = []
    }

    /// The shard state for `/api/v1/targets` and logs: this watcher's ID, the live members, what it owns.
    public func shardView() -> (id: String, members: [String], owned: [String])? {
        guard let owned else { return nil }
        return (shardID, members, owned.sorted())
    }
}
