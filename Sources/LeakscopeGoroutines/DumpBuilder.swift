/// Assembles a `GoroutineDump` from parsed pieces, storing each distinct stack, label set and
/// creation site once. Every input format (tracebacks, count profiles, proto profiles) goes
/// through it, so they share one model.
struct DumpBuilder: Sendable {
    var dump = GoroutineDump()
    private var stackIndex = HashIndex()
    private var labelSetIndex = HashIndex()
    private var siteIndex = HashIndex()
    /// Per stack: whether its outermost frame is a runtime function (a system goroutine).
    private(set) var stackIsSystem: ContiguousArray<Bool> = []

    init() {
        labelSetIndex.append(hash: DumpBuilder.labelSetHash([]))  // entry 0: the empty set
    }

    mutating func internStack(_ frames: ContiguousArray<Frame>, elision: Elision?) -> StackID {
        var h: UInt64 = UInt64(truncatingIfNeeded: frames.count)
        for f in frames { h = hashCombine(h, f.hashValue64) }
        if let e = elision { h = hashCombine(h, UInt64(UInt32(bitPattern: e.afterFrame)) | UInt64(UInt32(bitPattern: e.count ?? -1)) << 32) }
        let found = stackIndex.find(hash: h) { index in
            let s = dump.stacks[Int(index)]
            guard s.elision == elision, Int(s.frames.count) == frames.count else { return false }
            var j = Int(s.frames.lowerBound)
            for f in frames {
                if dump.frames[j] != f { return false }
                j += 1
            }
            return true
        }
        if let found { return StackID(rawValue: found) }
        let start = Int32(truncatingIfNeeded: dump.frames.count)
        dump.frames.append(contentsOf: frames)
        dump.stacks.append(Stack(frames: start..<Int32(truncatingIfNeeded: dump.frames.count), elision: elision))
        stackIsSystem.append(isRuntimeEntry(frames.last))
        return StackID(rawValue: stackIndex.append(hash: h))
    }

    private func isRuntimeEntry(_ frame: Frame?) -> Bool {
        guard let frame else { return false }
        return dump.names.withBytes(of: frame.function) { name in
            let prefix: StaticString = "runtime."
            guard name.count > prefix.utf8CodeUnitCount, !name.elementsEqual("runtime.main".utf8) else { return false }
            for i in 0..<prefix.utf8CodeUnitCount where name[i] != prefix.utf8Start[i] { return false }
            return true
        }
    }

    static func labelSetHash(_ pairs: ContiguousArray<LabelPair>) -> UInt64 {
        var h: UInt64 = 0x5A5A ^ UInt64(truncatingIfNeeded: pairs.count)
        for p in pairs { h = hashCombine(h, UInt64(p.key.rawValue) | UInt64(p.value.rawValue) << 32) }
        return h
    }

    mutating func internLabelSet(_ pairs: ContiguousArray<LabelPair>) -> LabelSetID {
        if pairs.isEmpty { return .none }
        let h = DumpBuilder.labelSetHash(pairs)
        let found = labelSetIndex.find(hash: h) { index in
            let r = dump.labelSets[Int(index)]
            guard Int(r.count) == pairs.count else { return false }
            var j = Int(r.lowerBound)
            for p in pairs {
                if dump.labelPairs[j] != p { return false }
                j += 1
            }
            return true
        }
        if let found { return LabelSetID(rawValue: found) }
        let start = Int32(truncatingIfNeeded: dump.labelPairs.count)
        dump.labelPairs.append(contentsOf: pairs)
        dump.labelSets.append(start..<Int32(truncatingIfNeeded: dump.labelPairs.count))
        return LabelSetID(rawValue: labelSetIndex.append(hash: h))
    }

    mutating func internSite(_ frame: Frame) -> Int32 {
        let h = frame.hashValue64
        if let found = siteIndex.find(hash: h, { dump.creationSites[Int($0)] == frame }) { return found }
        dump.creationSites.append(frame)
        return siteIndex.append(hash: h)
    }

    mutating func warn(_ kind: DumpWarning.Kind, line: Int, offset: Int, _ message: @autoclosure () -> String) {
        dump.warningCount += 1
        if dump.warnings.count < DumpWarning.limit {
            dump.warnings.append(DumpWarning(kind, line: line, offset: offset, message()))
        }
    }
}
