import LeakscopeFindings
import LeakscopeGoSymbols
import LeakscopeProfile

extension ApplicationCode {
    /// The first application frame of a profile sample's stack (leaf first, inlined frames
    /// innermost first), as a source site.
    public static func site(of sample: Sample, in profile: Profile) -> SourceSite? {
        for locationIndex in sample.locations where profile.locations.indices.contains(locationIndex) {
            for line in profile.locations[locationIndex].lines {
                guard let f = line.function, profile.functions.indices.contains(f) else { continue }
                let function = profile.functions[f]
                if isApplication(function.name) {
                    return SourceSite(function: function.name, file: function.filename, line: Int(line.line))
                }
            }
        }
        return nil
    }
}
