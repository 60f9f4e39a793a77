enum JavaProfileParser {
    static func parse(_ text: UnsafeBufferPointer<UInt8>) throws(ProfileError) -> Profile? { nil }
}
