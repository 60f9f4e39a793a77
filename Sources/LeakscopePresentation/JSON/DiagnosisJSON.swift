import Foundation
import LeakscopeDiagnose

/// `diagnose --format json`: the report as one JSON document (schema in the README).
public enum DiagnosisJSON {
    public static func render(_ report: DiagnosisReport) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        // Encoding plain value types cannot fail; an empty object keeps the output valid JSON if it ever did.
        var data = (try? encoder.encode(report)) ?? Data("{}".utf8)
        data.append(UInt8(ascii: "\n"))
        return data
    }
}
