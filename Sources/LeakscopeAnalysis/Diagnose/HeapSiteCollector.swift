import LeakscopeProfile

/// Sums in-use bytes and objects per allocation site over several heap profiles.
///
/// Sites are identified across profiles by (function, file, line, application-or-not); within
/// one profile the site of each location is worked out once and reused by every sample through it.
struct SiteCollector {
    struct Key: Hashable {
        var function: String
        var file: String
        var line: Int
        var isApplication: Bool
    }

    struct Accumulated {
        var key: Key
        var bytes: [Double]
        var objects: [Double]
        /// Allocator function name → in-use bytes summed over all snapshots.
        var allocators: [String: Double] = [:]
        /// The heaviest stack in the latest snapshot the site appears in.
        var stack: [String] = []
        var stackSnapshot = -1
    }

    let snapshotCount: Int
    private var index: [Key: Int] = [:]
    private(set) var accumulated: [Accumulated] = []

    init(snapshotCount: Int) { self.snapshotCount = snapshotCount }

    /// Adds one profile as snapshot `snapshot`; returns its total in-use bytes and objects.
    mutating func add(_ profile: Profile, snapshot: Int, space: Int?, objects: Int?) -> (Double, Double) {
        guard let space else { return (0, 0) }
        let table = StackFrames(profile)
        var totalBytes = 0.0, totalObjects = 0.0
        // Per (site, allocator function) bytes in this snapshot, and the heaviest sample per site.
        var allocatorBytes: [Int: [Int: Double]] = [:]
        var heaviest: [Int: (bytes: Double, sample: Int)] = [:]
        for (sampleIndex, sample) in profile.samples.enumerated() {
            let bytes = sample.value(at: space)
            let count = objects.map { sample.value(at: $0) } ?? 0
            totalBytes += bytes
            totalObjects += count
            if bytes == 0 && count == 0 { continue }
            let frames = table.frames(of: sample, limit: 256)
            let (site, allocator) = attribute(frames, table)
            let id = siteID(site)
            accumulated[id].bytes[snapshot] += bytes
            accumulated[id].objects[snapshot] += count
            allocatorBytes[id, default: [:]][allocator, default: 0] += bytes
            if bytes > (heaviest[id]?.bytes ?? -.infinity) { heaviest[id] = (bytes, sampleIndex) }
        }
        for (id, perAllocator) in allocatorBytes {
            for (allocator, bytes) in perAllocator where allocator >= 0 {
                accumulated[id].allocators[profile.functions[allocator].name, default: 0] += bytes
            }
        }
        for (id, entry) in heaviest where snapshot >= accumulated[id].stackSnapshot {
            accumulated[id].stack = table.describe(table.frames(of: profile.samples[entry.sample], limit: 64))
            accumulated[id].stackSnapshot = snapshot
        }
        return (totalBytes, totalObjects)
    }

    /// The site a stack is charged to and the function index of the frame just inside it (-1: none).
    func attribute(_ frames: [StackFrames.Frame], _ table: StackFrames) -> (Key, Int) {
        guard var app = table.firstApplicationIndex(frames) else {
            let leaf = frames.first { $0.function >= 0 } ?? frames.first
            let site = leaf.map(table.site) ?? SourceSite(function: "(no stack)", file: "", line: 0)
            return (Key(function: site.function, file: site.file, line: site.line, isApplication: false), -1)
        }
        var allocator = app > 0 ? frames[app - 1].function : -1
        // A Pool's New function made the object; whoever called Get keeps it.
        if app + 1 < frames.count, table.name(frames[app + 1]) == "sync.(*Pool).Get",
           let caller = frames[(app + 2)...].firstIndex(where: { table.isApplication($0) }) {
            allocator = frames[app + 1].function
            app = caller
        }
        let site = table.site(frames[app])
        return (Key(function: site.function, file: site.file, line: site.line, isApplication: true), allocator)
    }

    private mutating func siteID(_ key: Key) -> Int {
        if let id = index[key] { return id }
        let id = accumulated.count
        index[key] = id
        accumulated.append(Accumulated(key: key, bytes: Array(repeating: 0, count: snapshotCount),
                                       objects: Array(repeating: 0, count: snapshotCount)))
        return id
    }

    /// The accumulated sites with their trends.
    func sites(times: [Double?], elapsed: Double?) -> [HeapSite] {
        accumulated.map { entry in
            let trend = Trend.classify(entry.bytes, times: times)
            let delta = (entry.bytes.last ?? 0) - (entry.bytes.first ?? 0)
            var perMinute: Double?
            if let slope = trend.slopePerSecond, entry.bytes.count >= 3 {
                perMinute = slope * 60
            } else if let elapsed, elapsed > 0 {
                perMinute = delta / elapsed * 60
            }
            let allocator = entry.allocators.max { a, b in a.value < b.value || a.value == b.value && a.key > b.key }?.key
            return HeapSite(location: SourceSite(function: entry.key.function, file: entry.key.file, line: entry.key.line),
                            isApplication: entry.key.isApplication, allocator: allocator,
                            inuseBytes: entry.bytes, inuseObjects: entry.objects, deltaBytes: delta,
                            deltaObjects: (entry.objects.last ?? 0) - (entry.objects.first ?? 0),
                            bytesPerMinute: perMinute, trend: trend, stack: entry.stack)
        }
    }
}
