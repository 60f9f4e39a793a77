import LeakscopeGoSymbols
import LeakscopeProfile
import LeakscopeFindings

extension CPUAnalysis {
    /// Per-function sums over one CPU profile. Functions are keyed by a canonical index (the first
    /// function with the same name), so duplicate function entries add up.
    struct Tally {
        let profile: Profile
        let table: StackFrames
        /// Per function index: canonical index, GC class and cause bits, worked out once.
        private let canonical: [Int]
        private let gcClasses: [CPUCategories.GCClass]
        private let causeBits: [UInt16]
        private let scanning: [Bool]
        private var scanningTime = 0.0

        private var attributed: [Int: Double] = [:]
        private var selfTime: [Int: Double] = [:]
        private var cumulativeTime: [Int: Double] = [:]
        /// (function, callee function or -1 for itself) → time.
        private var calleeTime: [Int: [Int: Double]] = [:]
        /// function → line → time.
        private var lineTime: [Int: [Int64: Double]] = [:]
        private var causeTime: [Int: [Double]] = [:]
        private var heaviest: [Int: (value: Double, sample: Sample)] = [:]
        /// Allocation and assist CPU per application function, and per its lines.
        private var allocationTime: [Int: Double] = [:]
        private var allocationLines: [Int: [Int64: Double]] = [:]
        private var gcTime: [CPUCategories.GCClass: Double] = [:]
        private(set) var unattributed = 0.0

        init(profile: Profile, table: StackFrames) {
            self.profile = profile
            self.table = table
            var firstByName: [String: Int] = [:]
            canonical = profile.functions.enumerated().map { i, f in
                if let first = firstByName[f.name] { return first }
                firstByName[f.name] = i
                return i
            }
            gcClasses = profile.functions.map { CPUCategories.gcClass($0.name) }
            causeBits = profile.functions.map { CPUCategories.causes($0.name) }
            scanning = profile.functions.map { CPUCategories.isScanning($0.name) }
        }

        mutating func add(_ sample: Sample, value: Double) {
            let frames = table.frames(of: sample, limit: 512)
            var gc = CPUCategories.GCClass.none
            var scans = false
            for frame in frames where frame.function >= 0 {
                let c = gcClasses[frame.function]
                if c.rawValue < gc.rawValue { gc = c }
                scans = scans || scanning[frame.function]
            }
            if gc != .none { gcTime[gc, default: 0] += value }
            if scans { scanningTime += value }

            guard let app = table.firstApplicationIndex(frames) else {
                unattributed += value
                return
            }
            let fn = canonical[frames[app].function]
            attributed[fn, default: 0] += value
            lineTime[fn, default: [:]][frames[app].line, default: 0] += value
            if app == 0 { selfTime[fn, default: 0] += value }
            let callee = app > 0 && frames[app - 1].function >= 0 ? canonical[frames[app - 1].function] : -1
            calleeTime[fn, default: [:]][callee, default: 0] += value
            var bits: UInt16 = 0
            for frame in frames[..<app] where frame.function >= 0 { bits |= causeBits[frame.function] }
            if bits != 0 {
                var shares = causeTime[fn] ?? Array(repeating: 0, count: CPUCategories.Cause.allCases.count)
                for cause in CPUCategories.Cause.allCases where bits & (1 << UInt16(cause.rawValue)) != 0 {
                    shares[cause.rawValue] += value
                }
                causeTime[fn] = shares
            }
            if value > (heaviest[fn]?.value ?? 0) { heaviest[fn] = (value, sample) }
            if gc == .malloc || gc == .assist {
                allocationTime[fn, default: 0] += value
                allocationLines[fn, default: [:]][frames[app].line, default: 0] += value
            }
            // Cumulative: once per distinct application function in the stack.
            var seen: [Int] = []
            for frame in frames[app...] where table.isApplication(frame) {
                let f = canonical[frame.function]
                if !seen.contains(f) {
                    seen.append(f)
                    cumulativeTime[f, default: 0] += value
                }
            }
        }

        func hotFunctions(total: Double) -> [CPUHotFunction] {
            guard total > 0 else { return [] }
            let ordered = attributed.sorted { $0.value > $1.value || $0.value == $1.value && $0.key < $1.key }
            return ordered.prefix(CPUAnalysis.functionLimit).map { fn, time in
                let function = profile.functions[fn]
                let line = hottest(lineTime[fn])
                let callees = (calleeTime[fn] ?? [:]).filter { $0.key >= 0 }
                    .sorted { $0.value > $1.value || $0.value == $1.value && $0.key < $1.key }
                    .prefix(5)
                    .map { CPUFunctionShare(function: profile.functions[$0.key].name, file: profile.functions[$0.key].filename,
                                            seconds: $0.value / 1e9, share: $0.value / time) }
                let stack = heaviest[fn].map { table.describe(table.frames(of: $0.sample, limit: 64)) } ?? []
                return CPUHotFunction(
                    location: SourceSite(function: function.name, file: function.filename, line: Int(clamping: line)),
                    attributedSeconds: time / 1e9, attributedShare: time / total,
                    cumulativeShare: (cumulativeTime[fn] ?? time) / total, selfShare: (selfTime[fn] ?? 0) / time,
                    callees: Array(callees), stack: stack,
                    causeShares: (causeTime[fn] ?? []).map { $0 / time })
            }
        }

        func cumulative(total: Double) -> [CPUFunctionShare] {
            guard total > 0 else { return [] }
            return cumulativeTime.sorted { $0.value > $1.value || $0.value == $1.value && $0.key < $1.key }
                .prefix(CPUAnalysis.functionLimit)
                .map { CPUFunctionShare(function: profile.functions[$0.key].name, file: profile.functions[$0.key].filename,
                                        seconds: $0.value / 1e9, share: $0.value / total) }
        }

        func gcShare(total: Double) -> CPUGCShare {
            func share(_ c: CPUCategories.GCClass) -> Double { total > 0 ? (gcTime[c] ?? 0) / total : 0 }
            return CPUGCShare(markWorkers: share(.markWorker), assists: share(.assist), sweep: share(.sweep),
                              otherGC: share(.otherGC), malloc: share(.malloc),
                              scanning: total > 0 ? scanningTime / total : 0)
        }

        /// The application function whose allocations (mallocgc and assists under it) cost most CPU.
        func topAllocator(total: Double) -> (site: SourceSite, share: Double)? {
            guard total > 0,
                  let (fn, time) = allocationTime.max(by: { $0.value < $1.value || $0.value == $1.value && $0.key > $1.key })
            else { return nil }
            let function = profile.functions[fn]
            return (SourceSite(function: function.name, file: function.filename,
                               line: Int(clamping: hottest(allocationLines[fn]))), time / total)
        }

        private func hottest(_ lines: [Int64: Double]?) -> Int64 {
            lines?.max { $0.value < $1.value || $0.value == $1.value && $0.key > $1.key }?.key ?? 0
        }
    }
}
