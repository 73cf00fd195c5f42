import AftercareWire
import NIOCore
import Testing

/// The reader the connection handlers decode with: the same frames however the bytes are split, a
/// consumed read buffer let go at once, an unfinished frame kept in a buffer of its own.
@Suite("FrameReader")
struct FrameReaderTests {
    static let frames = [
        Frame.message(streamID: 1, payload: ByteBuffer(bytes: Array(repeating: 7, count: 100))),
        Frame.ping(42),
        Frame.end(streamID: 1, EndBody(status: 0, outcome: 1, metadata: [MetadataEntry(key: "trailer-bin", value: [0xFF, 0x00])])),
    ]

    static var bytes: [UInt8] { Self.frames.flatMap(encoded) }

    @Test("every split of the bytes into two reads gives the same frames", arguments: [1, 5, 11, 12, 60, 113])
    func splits(_ at: Int) throws {
        var reader = FrameReader(FrameDecoder(expectPreface: false))
        var got: [Frame] = []
        try reader.read(ByteBuffer(bytes: Self.bytes[..<at])) { got.append($0) }
        #expect(reader.unfinishedBytes > 0)
        try reader.read(ByteBuffer(bytes: Self.bytes[at...])) { got.append($0) }
        #expect(got == Self.frames && reader.unfinishedBytes == 0)
    }

    @Test("byte by byte")
    func byteByByte() throws {
        var reader = FrameReader(FrameDecoder(expectPreface: false))
        var got: [Frame] = []
        for byte in Self.bytes { try reader.read(ByteBuffer(bytes: [byte])) { got.append($0) } }
        #expect(got == Self.frames)
    }

    @Test("a read whose frames are all out is not kept: its buffer can be written again without a copy, also after an unfinished frame")
    func releasesTheReadBuffer() throws {
        var reader = FrameReader(FrameDecoder(expectPreface: false))
        let whole = Self.bytes
        for cut in [whole.count, whole.count - 3] {
            var buffer = ByteBufferAllocator().buffer(capacity: 4096)
            buffer.writeBytes(whole[..<cut])
            let before = buffer.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
            var count = 0
            try reader.read(buffer) { _ in count += 1 }
            // The handler's caller (swift-nio-ssl) writes into its buffer again: still unique, no copy.
            buffer.clear()
            buffer.writeBytes([1, 2, 3])
            #expect(buffer.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) } == before, "cut at \(cut)")
            #expect(count == (cut == whole.count ? 3 : 2))
            #expect(reader.unfinishedBytes == (cut == whole.count ? 0 : encoded(Self.frames[2]).count - 3))
            if cut < whole.count { try reader.read(ByteBuffer(bytes: whole[cut...])) { _ in count += 1 } }
            #expect(count == 3 && reader.unfinishedBytes == 0)
        }
    }

    @Test("bytes that break the protocol throw, as the decoder's own")
    func violations() {
        var reader = FrameReader(FrameDecoder(expectPreface: false, maxFrameSize: 16))
        #expect(throws: WireError.self) { try reader.read(ByteBuffer(bytes: Self.bytes)) { _ in } }
    }
}
