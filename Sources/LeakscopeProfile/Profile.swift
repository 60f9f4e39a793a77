/// An in-memory profile.proto (`perftools.profiles.Profile`).
///
/// References between messages are resolved at decode time: a sample points at
/// locations, and a line at a function, by *index* into the profile's arrays, so
/// hot loops never hash IDs. The original IDs are kept on each message because
/// pprof's `-raw` output and the encoder print or write them.
///
/// Strings are plain Swift `String`s taken from the decoded string table; equal
/// strings share storage, so copying one into many samples costs a retain.
public struct Profile: Sendable, Equatable {
    /// Field 1: what each sample value measures, e.g. `alloc_space/bytes`.
    public var sampleTypes: [ValueType] = []
    /// Field 2.
    public var samples: [Sample] = []
    /// Field 3.
    public var mappings: [Mapping] = []
    /// Field 4.
    public var locations: [Location] = []
    /// Field 5.
    public var functions: [Function] = []
    /// Field 7: regexp of frames to drop (matches the whole function name); "" if unset.
    public var dropFrames: String = ""
    /// Field 8: regexp of frames to keep despite `dropFrames`; "" if unset.
    public var keepFrames: String = ""
    /// Field 9: wall-clock time the profile was collected, ns since the epoch; 0 if unknown.
    public var timeNanos: Int64 = 0
    /// Field 10.
    public var durationNanos: Int64 = 0
    /// Field 11: the kind of event `period` counts; nil when absent.
    public var periodType: ValueType? = nil
    /// Field 12.
    public var period: Int64 = 0
    /// Field 13: free-form comments.
    public var comments: [String] = []
    /// Field 14: the sample type shown by default; "" means the last one.
    public var defaultSampleType: String = ""
    /// Field 15: documentation link for the profile type; "" if unset.
    public var docURL: String = ""

    public init() {}

    /// Index of the sample type reports show when none is asked for: `defaultSampleType`
    /// if it names one, else the last (pprof's rule).
    public var defaultSampleIndex: Int {
        if !defaultSampleType.isEmpty,
           let i = sampleTypes.firstIndex(where: { $0.type == defaultSampleType }) {
            return i
        }
        return max(0, sampleTypes.count - 1)
    }
}

/// A `type/unit` pair such as `cpu/nanoseconds`.
public struct ValueType: Sendable, Hashable {
    public var type: String
    public var unit: String
    public init(type: String, unit: String) {
        self.type = type
        self.unit = unit
    }
}

/// One measurement: a call stack and its values.
public struct Sample: Sendable, Equatable {
    /// Indices into `Profile.locations`, leaf first.
    public var locations: [Int]
    /// One value per `Profile.sampleTypes` entry.
    public var values: [Int64]
    /// Labels in input order.
    public var labels: [Label]

    public init(locations: [Int], values: [Int64], labels: [Label] = []) {
        self.locations = locations
        self.values = values
        self.labels = labels
    }
}

/// A sample label: either a string value or a number with an optional unit.
/// Decoding follows pprof: a label whose `str` index is non-zero is a string label; one
/// with a number or a unit is numeric; one with neither (all three fields zero) is dropped.
public struct Label: Sendable, Hashable {
    public enum Value: Sendable, Hashable {
        case string(String)
        /// The unit is "" when the profile gave none.
        case number(Int64, unit: String)
    }
    public var key: String
    public var value: Value

    public init(key: String, value: Value) {
        self.key = key
        self.value = value
    }
    public static func string(_ key: String, _ value: String) -> Label { Label(key: key, value: .string(value)) }
    public static func number(_ key: String, _ value: Int64, unit: String = "") -> Label {
        Label(key: key, value: .number(value, unit: unit))
    }
}

/// A memory mapping of the profiled process (a binary or shared library).
public struct Mapping: Sendable, Equatable {
    public var id: UInt64
    public var start: UInt64 = 0
    public var limit: UInt64 = 0
    public var offset: UInt64 = 0
    public var file: String = ""
    public var buildID: String = ""
    public var hasFunctions = false
    public var hasFilenames = false
    public var hasLineNumbers = false
    public var hasInlineFrames = false

    public init(id: UInt64) { self.id = id }
}

/// A program counter and the source lines it stands for.
public struct Location: Sendable, Equatable {
    public var id: UInt64
    /// Index into `Profile.mappings`, or nil.
    public var mapping: Int?
    public var address: UInt64 = 0
    /// Innermost first: every entry but the last was inlined into the next one.
    public var lines: [Line] = []
    public var isFolded = false

    public init(id: UInt64, mapping: Int? = nil, address: UInt64 = 0, lines: [Line] = [], isFolded: Bool = false) {
        self.id = id
        self.mapping = mapping
        self.address = address
        self.lines = lines
        self.isFolded = isFolded
    }
}

/// One source position within a location.
public struct Line: Sendable, Equatable {
    /// Index into `Profile.functions`, or nil when the line names no function.
    public var function: Int?
    public var line: Int64
    public var column: Int64

    public init(function: Int?, line: Int64 = 0, column: Int64 = 0) {
        self.function = function
        self.line = line
        self.column = column
    }
}

/// A function (or method) in the profiled program.
public struct Function: Sendable, Equatable {
    public var id: UInt64
    public var name: String = ""
    public var systemName: String = ""
    public var filename: String = ""
    public var startLine: Int64 = 0

    public init(id: UInt64, name: String = "", systemName: String = "", filename: String = "", startLine: Int64 = 0) {
        self.id = id
        self.name = name
        self.systemName = systemName
        self.filename = filename
        self.startLine = startLine
    }
}
