/// Reads the legacy (pre-proto) profile formats `go tool pprof` still accepts: the
/// gperftools CPU binary (Go before 1.9, C++, Java), heap/growth/fragmentation text,
/// Go `debug=1` count profiles, threadz, contention/mutex/block text and the Java
/// heapz/contentionz dumps. Where pprof drops information Go writes (frame and label
/// comments in `debug=1` output), it is kept.
public enum LegacyProfileParser {
    /// Parses `bytes` as one of the legacy formats, or throws `ProfileError` of kind
    /// `.unrecognized` when it is none of them. An input whose header names a format but
    /// whose body is broken throws an error with the line (or byte offset) and what was expected.
    public static func parse(_ bytes: [UInt8]) throws(ProfileError) -> Profile {
        let result: Result<Profile, ProfileError> = bytes.withUnsafeBufferPointer { buffer in
            do throws(ProfileError) {
                return .success(try parse(buffer))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The same, over a buffer the caller owns.
    public static func parse(_ text: UnsafeBufferPointer<UInt8>) throws(ProfileError) -> Profile {
        // A parser that recognised its header but then found something pprof treats as
        // "not this format" explains the failure better than a bare "unrecognized".
        var explanation: ProfileError? = nil
        // pprof's order matters: a Java contention dump also starts like a C++ one.
        for format in 0..<6 {
            do throws(ProfileError) {
                if var profile = try parse(text, format: format) {
                    try validate(profile)
                    addFrameInfo(&profile)
                    return profile
                }
            } catch where error.kind == .unrecognized {
                if explanation == nil { explanation = error }
            }
        }
        throw explanation ?? ProfileError(.unrecognized, "unrecognized profile format")
    }

    private static func parse(_ text: UnsafeBufferPointer<UInt8>, format: Int) throws(ProfileError) -> Profile? {
        switch format {
        case 0: return try CPUProfileParser.parse(text)
        case 1: return try HeapProfileParser.parse(text)
        case 2: return try GoCountProfileParser.parse(text)
        case 3: return try ThreadzProfileParser.parse(text)
        case 4: return try ContentionProfileParser.parse(text)
        default: return try JavaProfileParser.parse(text)
        }
    }

    /// pprof's `CheckValid` checks that a legacy parser can fail.
    private static func validate(_ p: Profile) throws(ProfileError) {
        if p.sampleTypes.isEmpty && !p.samples.isEmpty {
            throw ProfileError(.invalid, "missing sample type information")
        }
        for (i, s) in p.samples.enumerated() where s.values.count != p.sampleTypes.count {
            throw ProfileError(.invalid, "sample \(i + 1) has \(s.values.count) values for \(p.sampleTypes.count) sample types")
        }
    }

    /// pprof's `addLegacyFrameInfo`: frames of allocators or lock internals to drop.
    static func addFrameInfo(_ p: inout Profile) {
        let types = p.sampleTypes.map(\.type)
        if heapTypes.contains(types) {
            p.dropFrames = allocatorFrames
            p.keepFrames = keptRuntimeFrames
        } else if types == ["contentions", "delay"] {
            p.dropFrames = lockFrames
            p.keepFrames = ""
        } else {
            p.dropFrames = profilerFrames
            p.keepFrames = ""
        }
    }

    private static let heapTypes: [[String]] = [
        ["allocations", "size"], ["objects", "space"], ["inuse_objects", "inuse_space"],
        ["alloc_objects", "alloc_space"], ["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"],
    ]

    static let allocatorFrames = [
        "calloc", "cfree", "malloc", "free", "memalign", "do_memalign", "(__)?posix_memalign", "pvalloc", "valloc",
        "realloc",
        "tcmalloc::.*", "tc_calloc", "tc_cfree", "tc_malloc", "tc_free", "tc_memalign", "tc_posix_memalign",
        "tc_pvalloc", "tc_valloc", "tc_realloc", "tc_new", "tc_delete", "tc_newarray", "tc_deletearray",
        "tc_new_nothrow", "tc_newarray_nothrow",
        "malloc_zone_malloc", "malloc_zone_calloc", "malloc_zone_valloc", "malloc_zone_realloc",
        "malloc_zone_memalign", "malloc_zone_free",
        #"runtime\..*"#,
        "BaseArena::.*", "(::)?do_malloc_no_errno", "(::)?do_malloc_pages", "(::)?do_malloc", "DoSampledAllocation",
        "MallocedMemBlock::MallocedMemBlock", "_M_allocate", "__builtin_(vec_)?delete", "__builtin_(vec_)?new",
        "__gnu_cxx::new_allocator::allocate", "__libc_malloc", "__malloc_alloc_template::allocate", "allocate",
        "cpp_alloc", #"operator new(\[\])?"#, "simple_alloc::allocate",
    ].joined(separator: "|")

    static let keptRuntimeFrames = [#"runtime\.panic"#, #"runtime\.reflectcall"#, #"runtime\.call[0-9]*"#]
        .joined(separator: "|")

    static let profilerFrames = [
        "ProfileData::Add", "ProfileData::prof_handler", "CpuProfiler::prof_handler", "__pthread_sighandler", "__restore",
    ].joined(separator: "|")

    static let lockFrames = [
        "RecordLockProfileData", "(base::)?RecordLockProfileData.*", "(base::)?SubmitMutexProfileData.*",
        "(base::)?SubmitSpinLockProfileData.*", "(base::Mutex::)?AwaitCommon.*", "(base::Mutex::)?Unlock.*",
        "(base::Mutex::)?UnlockSlow.*", "(base::Mutex::)?ReaderUnlock.*", "(base::MutexLock::)?~MutexLock.*",
        "(Mutex::)?AwaitCommon.*", "(Mutex::)?Unlock.*", "(Mutex::)?UnlockSlow.*", "(Mutex::)?ReaderUnlock.*",
        "(MutexLock::)?~MutexLock.*", "(SpinLock::)?Unlock.*", "(SpinLock::)?SlowUnlock.*",
        "(SpinLockHolder::)?~SpinLockHolder.*",
    ].joined(separator: "|")
}
