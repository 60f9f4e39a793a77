import CZlib
import LeakscopeBytes

/// gzip over the system zlib.
public enum Gzip {
    /// True when `bytes` starts with the gzip magic `1f 8b`.
    public static func isGzipped(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// Inflates one or more concatenated gzip members (as Go's gzip reader does).
    ///
    /// Never holds more than `maxOutput` bytes of output plus one 64 KiB chunk: a
    /// stream that inflates past the limit fails with `.tooLarge`. A stream that ends
    /// early fails with `.truncated`; corrupt data or trailing garbage with `.malformed`.
    /// Error offsets are positions in the compressed input.
    /// Past `ratioAfter` bytes of output, a stream inflating more than `maxRatio` times its
    /// compressed size so far also fails with `.tooLarge` (a gzip bomb, caught early).
    public static func decompress(_ bytes: [UInt8], maxOutput: Int = DecodeLimits.default.maxDecompressedBytes,
                                  maxRatio: Int = DecodeLimits.default.maxInflationRatio,
                                  ratioAfter: Int = DecodeLimits.default.ratioCheckAfterBytes) throws(ProfileError) -> [UInt8] {
        let result: Result<[UInt8], ProfileError> = bytes.withUnsafeBufferPointer { input in
            do throws(ProfileError) {
                return .success(try inflate(input, maxOutput: maxOutput, maxRatio: maxRatio, ratioAfter: ratioAfter))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func inflate(_ input: UnsafeBufferPointer<UInt8>, maxOutput: Int, maxRatio: Int,
                                ratioAfter: Int) throws(ProfileError) -> [UInt8] {
        guard let inputBase = input.baseAddress, !input.isEmpty else {
            throw ProfileError(.truncated, "empty gzip stream", offset: 0)
        }
        var stream = z_stream()
        // 16 + MAX_WBITS: gzip framing only.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ProfileError(.malformed, "cannot initialise zlib")
        }
        defer { inflateEnd(&stream) }

        var output: [UInt8] = []
        // A compressed profile usually inflates 5-15x; never reserve past the limit.
        output.reserveCapacity(min(maxOutput, input.count.multipliedReportingOverflow(by: 8).partialValue))
        let chunkSize = 1 << 16
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var consumed = 0
        stream.next_in = UnsafeMutablePointer(mutating: inputBase)
        stream.avail_in = uInt(input.count)

        while true {
            let status: Int32 = chunk.withUnsafeMutableBufferPointer { buffer in
                stream.next_out = buffer.baseAddress
                stream.avail_out = uInt(chunkSize)
                return CZlib.inflate(&stream, Z_NO_FLUSH)
            }
            let produced = chunkSize - Int(stream.avail_out)
            consumed = input.count - Int(stream.avail_in)
            if produced > 0 {
                guard produced <= maxOutput - output.count else {
                    throw ProfileError(.tooLarge, "gzip data inflates to more than \(maxOutput) bytes; \(InputLimits.raiseHint("decompressed"))", offset: consumed)
                }
                if output.count > ratioAfter && output.count / max(consumed, 1) > maxRatio {
                    throw ProfileError(.tooLarge, "gzip data inflates more than \(maxRatio)× (\(consumed) bytes to over \(output.count >> 20) MB): a gzip bomb? \(InputLimits.raiseHint("ratio"))", offset: consumed)
                }
                if output.count + produced > output.capacity {
                    // Grow geometrically but never past the limit.
                    output.reserveCapacity(min(maxOutput, max(output.capacity * 2, output.count + produced)))
                }
                output.append(contentsOf: chunk[0..<produced])
            }
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                guard stream.avail_in > 0 else { return output }
                // Another member may follow; anything else is garbage.
                let rest = input.count - Int(stream.avail_in)
                guard input.count - rest >= 2, input[rest] == 0x1f, input[rest + 1] == 0x8b else {
                    throw ProfileError(.malformed, "unexpected data after the end of the gzip stream", offset: rest)
                }
                guard inflateReset(&stream) == Z_OK else {
                    throw ProfileError(.malformed, "cannot reset zlib", offset: rest)
                }
            case Z_BUF_ERROR where stream.avail_in == 0:
                throw ProfileError(.truncated, "gzip stream is truncated after \(input.count) compressed bytes (\(output.count) bytes inflated)", offset: consumed)
            case Z_BUF_ERROR:
                continue
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw ProfileError(.malformed, "corrupt gzip data: \(reason)", offset: consumed)
            }
        }
    }

    /// Compresses `bytes` into a single gzip member (zlib's default level).
    public static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        // 16 + MAX_WBITS: write a gzip header and trailer; memLevel 8 is zlib's default.
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return []
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(bytes.count))) + 32
        var output = [UInt8](repeating: 0, count: bound)
        let written: Int = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                // One call suffices: the output buffer is deflateBound-sized.
                _ = deflate(&stream, Z_FINISH)
                return out.count - Int(stream.avail_out)
            }
        }
        output.removeSubrange(written...)
        return output
    }
}
