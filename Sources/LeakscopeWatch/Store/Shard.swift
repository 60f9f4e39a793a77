/// Several watchers on one PostgreSQL store split the fleet: each target is polled by exactly one.
///
/// Every watcher heartbeats into the `watcher` table; the live ones (heartbeat within the lease) are
/// the members. Each member computes, for every target, the member with the highest rendezvous hash
/// of (member, target) — all members agree without talking, and a member joining or leaving moves
/// only its own share. A member then holds a row in `target_lease` for each target it wants, renewed
/// at every heartbeat; a lease is taken over only when it has expired or its owner released it, so
/// two watchers never poll one target at once. A watcher killed with `kill -9` stops renewing, and
/// within one lease its targets are claimed by the members that now win them. docs/WATCH.md has more.
public struct ShardRequest: Sendable {
    /// This watcher's ID (`shard.id`).
    public var watcher: String
    /// Every target this watcher knows (the whole fleet; all watchers should share the config).
    public var targets: [String]
    /// Seconds a heartbeat or a target lease stays valid without renewal.
    public var lease: Double
    /// Where this watcher's API is, shown in the `watcher` table.
    public var listen: String
}

/// What a heartbeat returned: the targets this watcher holds a lease on, and the live members.
public struct ShardGrant: Sendable, Equatable {
    public var owned: Set<String>
    public var members: [String]
}

public enum Rendezvous {
    /// The member that owns `target` among `members` (highest random weight; ties go to the smaller ID).
    public static func owner(of target: String, among members: [String]) -> String? {
        var best: (member: String, weight: UInt64)?
        for member in members {
            let weight = Self.weight(member, target)
            if let current = best, current.weight > weight || (current.weight == weight && current.member < member) { continue }
            best = (member, weight)
        }
        return best?.member
    }

    /// FNV-1a over `member NUL target`, then the SplitMix64 finalizer: stable across processes and
    /// builds (Swift's `Hasher` is seeded per process, so it cannot be used here).
    static func weight(_ member: String, _ target: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in member.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        hash = (hash ^ 0) &* 0x0000_0100_0000_01b3
        for byte in target.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
        hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
        return hash ^ (hash >> 31)
    }
}
