import LeakscopeBytes
import LeakscopeGoroutines
import LeakscopeProfile
import LeakscopeStatistics
import LeakscopeFindings

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
        let functionCount = profile.functions.count
        func function(_ line: Line) -> Int { line.function.map { $0 >= 0 && $0 < functionCount ? $0 : -1 } ?? -1 }
        // Per location: the index of its first application line (-1: none), and the site of that line.
        let firstApplicationLine = profile.locations.map { location in
            location.lines.firstIndex { let f = function($0); return f >= 0 && table.isApplication[f] } ?? -1
        }
        var locationSite = [Int](repeating: -1, count: profile.locations.count)
        let isPoolGet = profile.functions.map { $0.name == "sync.(*Pool).Get" }
        var totalBytes = 0.0, totalObjects = 0.0
        // Per (site << 32 | allocator function) bytes in this snapshot, and the heaviest sample per site.
        var allocatorBytes: [Int: Double] = [:]
        // Indexed by site id (dense), grown as sites appear: no hashing per sample.
        var heaviestBytes: [Double] = Array(repeating: -.infinity, count: accumulated.count)
        var heaviestSample: [Int] = Array(repeating: -1, count: accumulated.count)
        for (sampleIndex, sample) in profile.samples.enumerated() {
            let bytes = sample.value(at: space)
            let count = objects.map { sample.value(at: $0) } ?? 0
            totalBytes += bytes
            totalObjects += count
            if bytes == 0 && count == 0 { continue }
            // Fast path: find the first application line location by location, without building frames.
            var id = -1, allocator = -1, previous = -1
            var slow = false
            let locations = sample.locations
            for (position, li) in locations.enumerated() where li >= 0 && li < firstApplicationLine.count {
                let lines = profile.locations[li].lines
                let k = firstApplicationLine[li]
                guard k >= 0 else {
                    if let last = lines.last { previous = function(last) }
                    continue
                }
                // The frame just outside: a Pool's Get means the slow path (charged to Get's caller).
                var outside = -1
                if k + 1 < lines.count {
                    outside = function(lines[k + 1])
                } else if let next = locations[(position + 1)...].first(where: { $0 >= 0 && $0 < firstApplicationLine.count }),
                          let first = profile.locations[next].lines.first {
                    outside = function(first)
                }
                if outside >= 0 && isPoolGet[outside] { slow = true; break }
                allocator = k > 0 ? function(lines[k - 1]) : previous
                if locationSite[li] < 0 {
                    let site = table.site(StackFrames.Frame(function: function(lines[k]), line: lines[k].line))
                    locationSite[li] = siteID(Key(function: site.function, file: site.file, line: site.line, isApplication: true))
                }
                id = locationSite[li]
                break
            }
            if id < 0 || slow {
                let (site, slowAllocator) = attribute(table.frames(of: sample, limit: 256), table)
                id = siteID(site)
                allocator = slowAllocator
            }
            accumulated[id].bytes[snapshot] += bytes
            accumulated[id].objects[snapshot] += count
            if allocator >= 0 { allocatorBytes[id << 32 | allocator, default: 0] += bytes }
            if id >= heaviestBytes.count {
                heaviestBytes += Array(repeating: -.infinity, count: id + 1 - heaviestBytes.count)
                heaviestSample += Array(repeating: -1, count: id + 1 - heaviestSample.count)
            }
            if bytes > heaviestBytes[id] { heaviestBytes[id] = bytes; heaviestSample[id] = sampleIndex }
        }
        for (key, bytes) in allocatorBytes {
            let (id, allocator) = (key >> 32, key & 0xFFFF_FFFF)
            accumulated[id].allocators[profile.functions[allocator].name, default: 0] += bytes
        }
        for (id, sample) in heaviestSample.enumerated() where sample >= 0 && snapshot >= accumulated[id].stackSnapshot {
            accumulated[id].stack = table.describe(table.frames(of: profile.samples[sample], limit: 64))
            accumulated[id].stackSnapshot = snapshot
        }
        return (totalBytes, totalObjects)
    }

    /// The site a stack is charged to and the function index of the frame just inside it (-1: none).
    func attribute(_ frames: [StackFrames.Frame], _ table: StackFrames) -> (Key, Int) {
        guard var app = table.firstApplicationIndex(frames) else {
            // No application frame (e.g. `runtime.malg` for goroutine descriptors, cut at systemstack):
            // charge the first frame that says what was allocated, past the generic allocator frames.
            let named = frames.filter { $0.function >= 0 }
            let telling = named.first { !Self.isGenericAllocator(table.name($0)) } ?? named.first ?? frames.first
            let site = telling.map(table.site) ?? SourceSite(function: "(no stack)", file: "", line: 0)
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

    /// Runtime frames every allocation passes through, which say nothing about what was allocated.
    static func isGenericAllocator(_ name: String) -> Bool {
        ["runtime.mallocgc", "runtime.newobject", "runtime.newarray", "runtime.makeslice", "runtime.growslice",
         "runtime.makemap", "runtime.mapassign", "runtime.rawstring", "runtime.rawbyteslice", "runtime.rawruneslice",
         "runtime.concatstring", "runtime.slicebytetostring", "internal/runtime/maps.", "runtime.(*mcache)",
         "runtime.largeAlloc", "runtime.profilealloc", "runtime.mProf_Malloc", "runtime.persistentalloc"]
            .contains { name.hasPrefix($0) }
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
