import LeakscopeProfile

/// A user regexp, matched anywhere in a string like Go's `MatchString`, with the
/// answers for repeated strings remembered.
final class CachedRegex {
    let pattern: String
    private let regex: Regex<AnyRegexOutput>
    private var answers: [String: Bool] = [:]

    init(_ pattern: String, option: String) throws {
        self.pattern = pattern
        do { regex = try Regex(pattern) } catch {
            throw PprofReportError("parsing \(option) regexp: error parsing regexp: \(error)")
        }
    }

    init(anchored pattern: String) throws {
        self.pattern = pattern
        do { regex = try Regex("^(?:" + pattern + ")$") } catch {
            throw PprofReportError("failed to compile regexp \(pattern): \(error)")
        }
    }

    func matches(_ s: String) -> Bool {
        if let known = answers[s] { return known }
        let answer = s.contains(regex)
        answers[s] = answer
        return answer
    }
}

/// Matches locations against a regexp by function name, file name or mapping file
/// (pprof's `Location.matchesName`), caching per function and mapping.
struct LocationMatcher {
    let regex: CachedRegex
    private var functionAnswer: [Int8]
    private var mappingAnswer: [Int8]

    init(_ regex: CachedRegex, profile: Profile) {
        self.regex = regex
        functionAnswer = Array(repeating: -1, count: profile.functions.count)
        mappingAnswer = Array(repeating: -1, count: profile.mappings.count)
    }

    mutating func function(_ f: Int, _ profile: Profile) -> Bool {
        if functionAnswer[f] < 0 {
            let fn = profile.functions[f]
            functionAnswer[f] = (regex.matches(fn.name) || regex.matches(fn.filename)) ? 1 : 0
        }
        return functionAnswer[f] == 1
    }

    mutating func mapping(_ m: Int?, _ profile: Profile) -> Bool {
        guard let m else { return false }
        if mappingAnswer[m] < 0 { mappingAnswer[m] = regex.matches(profile.mappings[m].file) ? 1 : 0 }
        return mappingAnswer[m] == 1
    }

    mutating func location(_ l: Location, _ profile: Profile) -> Bool {
        for line in l.lines { if let f = line.function, function(f, profile) { return true } }
        return mapping(l.mapping, profile)
    }
}

enum SampleFilters {
    /// pprof's `FilterSamplesByName`. Returns whether focus, ignore, hide and show matched.
    static func byName(_ p: inout Profile, focus: CachedRegex?, ignore: CachedRegex?, hide: CachedRegex?,
                       show: CachedRegex?) -> (focus: Bool, ignore: Bool, hide: Bool, show: Bool) {
        if focus == nil && ignore == nil && hide == nil && show == nil { return (true, false, false, false) }
        var fm = false, im = false, hm = false, sm = false
        var focusM = focus.map { LocationMatcher($0, profile: p) }
        var ignoreM = ignore.map { LocationMatcher($0, profile: p) }
        var hideM = hide.map { LocationMatcher($0, profile: p) }
        var showM = show.map { LocationMatcher($0, profile: p) }
        // 0: neither, 1: focused, 2: ignored
        var state = [UInt8](repeating: 0, count: p.locations.count)
        var hidden = [Bool](repeating: false, count: p.locations.count)
        var anyHidden = false
        for li in p.locations.indices {
            let loc = p.locations[li]
            if ignoreM != nil, ignoreM!.location(loc, p) {
                im = true
                state[li] = 2
            } else if focusM == nil || focusM!.location(loc, p) {
                fm = true
                state[li] = 1
            }
            if hideM != nil, hideM!.location(loc, p) {
                hm = true
                if hideM!.mapping(loc.mapping, p) {
                    p.locations[li].lines = []
                } else {
                    p.locations[li].lines = loc.lines.filter { line in
                        guard let f = line.function else { return true }
                        return !hideM!.function(f, p)
                    }
                }
                if p.locations[li].lines.isEmpty { hidden[li] = true; anyHidden = true }
            }
            if showM != nil {
                if !showM!.mapping(loc.mapping, p) {
                    p.locations[li].lines = p.locations[li].lines.filter { line in
                        guard let f = line.function else { return true }
                        return showM!.function(f, p)
                    }
                }
                if p.locations[li].lines.isEmpty { hidden[li] = true; anyHidden = true } else { sm = true }
            }
        }
        var kept: [Sample] = []
        kept.reserveCapacity(p.samples.count)
        for var sample in p.samples {
            var focused = false, ignored = false
            for l in sample.locations {
                switch state[l] {
                case 1: focused = true
                case 2: ignored = true
                default: break
                }
                if ignored { break }
            }
            guard focused && !ignored else { continue }
            if anyHidden {
                sample.locations.removeAll { hidden[$0] }
                if sample.locations.isEmpty { continue }
            }
            kept.append(sample)
        }
        p.samples = kept
        return (fm, im, hm, sm)
    }

    /// pprof's `ShowFrom`: cuts each stack above its outermost matching frame and drops
    /// stacks with none.
    static func showFrom(_ p: inout Profile, _ regex: CachedRegex) -> Bool {
        var matcher = LocationMatcher(regex, profile: p)
        var matchedLocation = [Bool](repeating: false, count: p.locations.count)
        var matched = false
        for li in p.locations.indices {
            let loc = p.locations[li]
            if matcher.mapping(loc.mapping, p) {
                matchedLocation[li] = true
                matched = true
                continue
            }
            if let i = loc.lines.lastIndex(where: { line in line.function.map { matcher.function($0, p) } ?? false }) {
                p.locations[li].lines = Array(loc.lines[...i])
                matchedLocation[li] = true
                matched = true
            }
        }
        var kept: [Sample] = []
        for var sample in p.samples {
            if let i = sample.locations.lastIndex(where: { matchedLocation[$0] }) {
                if i + 1 < sample.locations.count { sample.locations.removeSubrange((i + 1)...) }
                kept.append(sample)
            }
        }
        p.samples = kept
        return matched
    }

    /// pprof's `PruneFrom`: drops every frame below (leafward of) the first match.
    static func pruneFrom(_ p: inout Profile, _ regex: CachedRegex) {
        var pruneBeneath = [Bool](repeating: false, count: p.locations.count)
        var any = false
        for li in p.locations.indices {
            let lines = p.locations[li].lines
            for i in lines.indices {
                if let f = lines[i].function, !p.functions[f].name.isEmpty,
                   regex.matches(simplifyFunctionName(p.functions[f].name)) {
                    pruneBeneath[li] = true
                    any = true
                    p.locations[li].lines = Array(lines[i...])
                    break
                }
            }
        }
        guard any else { return }
        for si in p.samples.indices {
            if let i = p.samples[si].locations.firstIndex(where: { pruneBeneath[$0] }), i > 0 {
                p.samples[si].locations.removeSubrange(..<i)
            }
        }
    }

    /// pprof's `RemoveUninteresting`: applies the profile's drop_frames/keep_frames.
    static func removeUninteresting(_ p: inout Profile) throws {
        guard !p.dropFrames.isEmpty else { return }
        let drop = try CachedRegex(anchored: p.dropFrames)
        let keep = p.keepFrames.isEmpty ? nil : try CachedRegex(anchored: p.keepFrames)
        var prune = [Bool](repeating: false, count: p.locations.count)
        var pruneBeneath = prune
        var any = false
        for li in p.locations.indices {
            let lines = p.locations[li].lines
            var i = lines.count - 1
            while i >= 0 {
                if let f = lines[i].function, !p.functions[f].name.isEmpty {
                    let simple = simplifyFunctionName(p.functions[f].name)
                    if drop.matches(simple) && !(keep?.matches(simple) ?? false) { break }
                }
                i -= 1
            }
            if i >= 0 {
                any = true
                pruneBeneath[li] = true
                if i == lines.count - 1 { prune[li] = true } else { p.locations[li].lines = Array(lines[(i + 1)...]) }
            }
        }
        guard any else { return }
        for si in p.samples.indices {
            let locs = p.samples[si].locations
            var foundUser = false
            var i = locs.count - 1
            while i >= 0 {
                let id = locs[i]
                if !prune[id] && !pruneBeneath[id] { foundUser = true; i -= 1; continue }
                if !foundUser { i -= 1; continue }
                if prune[id] { p.samples[si].locations = Array(locs[(i + 1)...]); break }
                if pruneBeneath[id] { p.samples[si].locations = Array(locs[i...]); break }
                i -= 1
            }
        }
    }

    /// pprof's `simplifyFunc`: drops a leading "." and the argument list, keeping
    /// "(anonymous namespace)" and "operator()".
    static func simplifyFunctionName(_ name: String) -> String {
        var bytes = Array(name.utf8)
        if bytes.first == UInt8(ascii: ".") { bytes.removeFirst() }
        let anonymous = Array("(anonymous namespace)".utf8), op = Array("operator()".utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i...].starts(with: anonymous) { i += anonymous.count; continue }
            if bytes[i...].starts(with: op) { i += op.count; continue }
            if bytes[i] == UInt8(ascii: "(") { bytes.removeSubrange(i...); break }
            i += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
