import AftercareWire
import NIOCore
import Testing

/// Frames the decoder must refuse (WIRE.md §2.1, §3, §4), with the CONN_ERROR code and a message naming the problem.
@Suite("FrameDecoder rejections")
struct FrameDecoderRejectionTests {
    struct Rejection: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var maxFrameSize = WireLimits.defaults.maxFrameSize
        var code: ConnectionErrorCode = .protocolError
        /// Every one of these appears in the error's message.
        var mentions: [String]

        var testDescription: String { self.name }
    }

    static let eight: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
    static let endPayload: [UInt8] = [0, 0, 1, 0, 0xFF, 0xFF, 0xFF, 0xFF]

    static let rejections: [Rejection] = [
        // §3, §11: the frame size is checked from the 12 header bytes alone.
        Rejection(
            name: "2 GiB MESSAGE, header only",
            bytes: RawFrame.bytes(length: 0x8000_0000, type: 0x02, streamID: 1),
            code: .frameTooLarge, mentions: ["MESSAGE", "2147483648", "maximum frame size 1048576"]
        ),
        Rejection(
            name: "one byte over a 16 KiB limit, header only",
            bytes: RawFrame.bytes(length: 16_385, type: 0x01, extLength: 0, streamID: 1),
            maxFrameSize: 16_384, code: .frameTooLarge, mentions: ["16385", "16384"]
        ),
        Rejection(
            name: "oversized extension frame, header only",
            bytes: RawFrame.bytes(length: 0xFFFF_FFFF, type: 0x80, streamID: 0),
            code: .frameTooLarge, mentions: ["4294967295"]
        ),
        Rejection(
            name: "ext_len > length",
            bytes: RawFrame.bytes(length: 2, type: 0x01, flags: 0x01, extLength: 3, streamID: 1, payload: [0, 0]),
            mentions: ["CALL", "ext_len 3", "length 2"]
        ),
        Rejection(
            name: "ext_len > length, header only",
            bytes: RawFrame.bytes(length: 100, type: 0x03, extLength: 101, streamID: 1),
            mentions: ["ext_len 101", "length 100"]
        ),
        // §3.1: stream id classes.
        Rejection(name: "PING on stream 1", bytes: RawFrame.bytes(type: 0x42, streamID: 1, payload: eight), mentions: ["PING", "connection frame", "stream id 1"]),
        Rejection(name: "HELLO on stream 3", bytes: RawFrame.bytes(type: 0x41, streamID: 3, ext: tlv(0x8001, [1, 0])), mentions: ["HELLO", "connection frame", "stream id 3"]),
        Rejection(name: "CONN_ERROR on stream 2", bytes: RawFrame.bytes(type: 0x44, streamID: 2, payload: [0, 1]), mentions: ["CONN_ERROR", "connection frame"]),
        Rejection(name: "MESSAGE on stream 0", bytes: RawFrame.bytes(type: 0x02, streamID: 0, payload: [1]), mentions: ["MESSAGE", "stream frame", "stream id 0"]),
        Rejection(name: "CALL on stream 0", bytes: RawFrame.bytes(type: 0x01, streamID: 0, ext: tlv(0x8001, "a.B/C")), mentions: ["CALL", "stream frame", "stream id 0"]),
        Rejection(name: "END on stream 0", bytes: RawFrame.bytes(type: 0x03, streamID: 0, payload: endPayload), mentions: ["END", "stream id 0"]),
        Rejection(name: "MESSAGE with stream id bit 31", bytes: RawFrame.bytes(type: 0x02, streamID: 0x8000_0001, payload: [1]), mentions: ["MESSAGE", "bit 31"]),
        Rejection(name: "PING with stream id bit 31", bytes: RawFrame.bytes(type: 0x42, streamID: 0x8000_0000, payload: eight), mentions: ["bit 31"]),
        // §3.1: unknown types below 0x80.
        Rejection(name: "unknown stream type 0x06", bytes: RawFrame.bytes(type: 0x06, streamID: 1), mentions: ["unknown frame type", "0x6"]),
        Rejection(name: "unknown connection type 0x45", bytes: RawFrame.bytes(type: 0x45, streamID: 0, payload: [1]), mentions: ["unknown frame type", "0x45"]),
        Rejection(name: "unknown type 0x7f", bytes: RawFrame.bytes(type: 0x7F, streamID: 1), mentions: ["unknown frame type", "0x7f"]),
        Rejection(name: "type 0x00", bytes: RawFrame.bytes(type: 0x00, streamID: 1), mentions: ["unknown frame type"]),
        // §4: payload sizes.
        Rejection(name: "PING of 7 bytes", bytes: RawFrame.bytes(type: 0x42, streamID: 0, payload: Array(eight.prefix(7))), mentions: ["PING payload must be 8 bytes, got 7"]),
        Rejection(name: "PING of 9 bytes", bytes: RawFrame.bytes(type: 0x42, streamID: 0, payload: eight + [9]), mentions: ["PING payload must be 8 bytes, got 9"]),
        Rejection(name: "PONG of 0 bytes", bytes: RawFrame.bytes(type: 0x42, flags: 0x08, streamID: 0), mentions: ["PING payload must be 8 bytes, got 0"]),
        Rejection(name: "CANCEL of 0 bytes", bytes: RawFrame.bytes(type: 0x04, streamID: 1), mentions: ["CANCEL payload must be 1 byte, got 0"]),
        Rejection(name: "CANCEL of 2 bytes", bytes: RawFrame.bytes(type: 0x04, streamID: 1, payload: [2, 0]), mentions: ["CANCEL payload must be 1 byte, got 2"]),
        Rejection(name: "CREDIT of 3 bytes", bytes: RawFrame.bytes(type: 0x05, streamID: 1, payload: [0, 0, 1]), mentions: ["CREDIT payload must be 4 bytes, got 3"]),
        Rejection(name: "CREDIT of 8 bytes", bytes: RawFrame.bytes(type: 0x05, streamID: 1, payload: eight), mentions: ["CREDIT payload must be 4 bytes, got 8"]),
        Rejection(name: "DRAIN of 8 bytes", bytes: RawFrame.bytes(type: 0x43, streamID: 0, payload: eight), mentions: ["DRAIN payload must be 9 bytes, got 8"]),
        Rejection(name: "DRAIN of 10 bytes", bytes: RawFrame.bytes(type: 0x43, streamID: 0, payload: eight + [0, 0]), mentions: ["DRAIN payload must be 9 bytes, got 10"]),
        Rejection(name: "END of 7 bytes", bytes: RawFrame.bytes(type: 0x03, streamID: 1, payload: Array(endPayload.prefix(7))), mentions: ["END payload must be at least 8 bytes, got 7"]),
        Rejection(name: "END of 0 bytes", bytes: RawFrame.bytes(type: 0x03, streamID: 1), mentions: ["END payload must be at least 8 bytes, got 0"]),
        Rejection(name: "CONN_ERROR of 1 byte", bytes: RawFrame.bytes(type: 0x44, streamID: 0, payload: [1]), mentions: ["CONN_ERROR payload must be at least 2 bytes, got 1"]),
        Rejection(name: "CONN_ERROR of 0 bytes", bytes: RawFrame.bytes(type: 0x44, streamID: 0), mentions: ["CONN_ERROR payload must be at least 2 bytes, got 0"]),
        Rejection(
            name: "HELLO with a payload",
            bytes: RawFrame.bytes(type: 0x41, streamID: 0, ext: tlv(0x8001, [1, 0]), payload: [0]),
            mentions: ["HELLO payload must be empty, got 1 bytes"]
        ),
        // §3, §4.2: an ext block only where the type defines one.
        Rejection(name: "MESSAGE with an ext block", bytes: RawFrame.bytes(type: 0x02, streamID: 1, ext: [0, 9, 0, 0], payload: [1]), mentions: ["MESSAGE", "ext block"]),
        Rejection(name: "PING with an ext block", bytes: RawFrame.bytes(type: 0x42, streamID: 0, ext: [0, 9, 0, 0], payload: eight), mentions: ["PING", "ext block"]),
        Rejection(name: "CANCEL with an ext block", bytes: RawFrame.bytes(type: 0x04, streamID: 1, ext: [0, 9, 0, 0], payload: [2]), mentions: ["CANCEL", "ext block"]),
        // §3.2: COMPRESSED is reserved.
        Rejection(name: "MESSAGE with COMPRESSED", bytes: RawFrame.bytes(type: 0x02, flags: 0x02, streamID: 1, payload: [1]), mentions: ["MESSAGE", "COMPRESSED"]),
        Rejection(name: "MESSAGE with COMPRESSED and MORE", bytes: RawFrame.bytes(type: 0x02, flags: 0x06, streamID: 1, payload: [1]), mentions: ["COMPRESSED"]),
    ]

    @Test("rejected with its code and a message naming the problem", arguments: rejections)
    func rejects(_ rejection: Rejection) {
        var decoder = FrameDecoder(expectPreface: false, maxFrameSize: rejection.maxFrameSize)
        var buffer = ByteBuffer(bytes: rejection.bytes)
        let error = #expect(throws: WireError.self) { _ = try decoder.decode(buffer: &buffer) }
        #expect(error?.code == rejection.code)
        for fragment in rejection.mentions {
            #expect(error?.message.contains(fragment) == true, "\"\(error?.message ?? "")\" does not mention \"\(fragment)\"")
        }
    }

    static let badPrefaces: [[UInt8]] = [
        Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8),
        [0x41, 0x46, 0x54, 0x43, 0x0A, 0x1A, 0x0A, 0x00] + encoded(.ping(1)),
        [0x41, 0x46, 0x54, 0x43, 0x0D, 0x0A, 0x1A, 0x0B],
        encoded(.ping(1)),
    ]

    @Test("§2.1: a server-side decoder refuses a bad preface after exactly 8 bytes, as a PrefaceMismatch", arguments: badPrefaces)
    func badPreface(_ bytes: [UInt8]) throws {
        var decoder = FrameDecoder(expectPreface: true)
        var partial = ByteBuffer(bytes: bytes.prefix(7))
        #expect(try decoder.decode(buffer: &partial) == nil)

        var buffer = ByteBuffer(bytes: bytes)
        let error = #expect(throws: PrefaceMismatch.self) { _ = try decoder.decode(buffer: &buffer) }
        #expect(error?.received == Array(bytes.prefix(8)))
    }

    @Test("an oversized frame is refused from its 12 header bytes, not after buffering its body")
    func oversizedFromHeaderAlone() throws {
        let header = RawFrame.bytes(length: 2 << 30, type: 0x01, flags: 0x01, extLength: 100, streamID: 1)
        #expect(header.count == WireProtocol.headerSize)
        var decoder = FrameDecoder(expectPreface: false)

        var partial = ByteBuffer(bytes: header.prefix(WireProtocol.headerSize - 1))
        #expect(try decoder.decode(buffer: &partial) == nil)

        var buffer = ByteBuffer(bytes: header)
        let error = #expect(throws: WireError.self) { _ = try decoder.decode(buffer: &buffer) }
        #expect(error?.code == .frameTooLarge)
    }

    @Test("a frame of exactly the maximum frame size is accepted", arguments: [UInt32(16_384), 20_000])
    func exactlyMaxFrameSize(_ limit: UInt32) throws {
        let bytes = RawFrame.bytes(type: 0x02, streamID: 1, payload: Array(repeating: 0x5A, count: Int(limit)))
        let frames = try decodeAll(bytes, maxFrameSize: limit)
        #expect(frames.count == 1)
        #expect(frames.first?.payload.readableBytes == Int(limit))
    }

    @Test("an extension frame is skipped and the next frame decoded", arguments: [UInt8(0x80), 0x9C, 0xC1, 0xFF])
    func extensionFrameSkipped(_ type: UInt8) throws {
        let ext = RawFrame.bytes(type: type, flags: 0xFF, extLength: 4, streamID: 0x8000_0000, ext: [0x80, 0x09, 0, 0], payload: [0xC0, 0xFF, 0xEE])
        let frames = try decodeAll(ext + ext + encoded(.ping(7)) + ext)
        #expect(frames == [Frame.ping(7)])
    }

    @Test("§3.1: an extension frame is checked for nothing but its length, so ext_len > length does not matter")
    func extensionFrameExtLengthIgnored() throws {
        let ext = RawFrame.bytes(type: 0x80, extLength: 0xFFFF, streamID: 3, payload: [1, 2])
        let frames = try decodeAll(ext + encoded(.ping(9)))
        #expect(frames == [Frame.ping(9)])
    }

    @Test("truncated input needs more data: every proper prefix of a vector gives nil, then the rest gives the frame", arguments: FrameVector.all)
    func truncatedInputNeedsMoreData(_ vector: FrameVector) throws {
        let bytes = try SpecFiles.vector(vector.file)
        for cut in 0..<bytes.count {
            var decoder = FrameDecoder(expectPreface: false)
            var buffer = ByteBuffer(bytes: bytes[..<cut])
            #expect(try decoder.decode(buffer: &buffer) == nil, "cut at \(cut)")
            buffer.writeBytes(bytes[cut...])
            #expect(try decoder.decode(buffer: &buffer) == vector.frame, "cut at \(cut)")
            #expect(buffer.readableBytes == 0)
        }
    }

    @Test("a truncated preface needs more data on the server side")
    func truncatedPreface() throws {
        let input = WireProtocol.preface + encoded(.ping(3))
        for cut in 0..<input.count {
            var decoder = FrameDecoder(expectPreface: true)
            var buffer = ByteBuffer(bytes: input[..<cut])
            #expect(try decoder.decode(buffer: &buffer) == nil, "cut at \(cut)")
            buffer.writeBytes(input[cut...])
            #expect(try decoder.decode(buffer: &buffer) == .ping(3), "cut at \(cut)")
        }
    }

    @Test("unknown flag bits are ignored, not rejected")
    func unknownFlagsIgnored() throws {
        let frames = try decodeAll(RawFrame.bytes(type: 0x42, flags: 0xF8, streamID: 0, payload: Self.eight))
        #expect(frames.count == 1)
        #expect(frames.first?.flags.contains(.ack) == true)
    }

    @Test("the highest stream id, 0x7FFFFFFF, is accepted")
    func highestStreamID() throws {
        let frames = try decodeAll(encoded(.credit(streamID: WireProtocol.maxStreamID, increment: 1)))
        #expect(frames == [.credit(streamID: 0x7FFF_FFFF, increment: 1)])
    }
}
