import AftercareWire
import NIOCore
import NIOTestUtils
import Testing

/// `ByteToMessageDecoderVerifier` feeds the decoder its inputs whole, byte by byte and all at once,
/// so the decoder is proven to produce the same frames however the bytes are split.
@Suite("FrameDecoder under ByteToMessageDecoderVerifier")
struct FrameDecoderVerifierTests {
    /// An extension frame (type 0x80–0xFF) the decoder must skip: it produces no output.
    static let extensionFrame = RawFrame.bytes(type: 0xA7, flags: 0xFF, extLength: 2, streamID: 0x7654_3210, ext: [0xDE, 0xAD], payload: [1, 2, 3])

    @Test("client side: every vector, an extension frame and two frames in one buffer")
    func clientSide() throws {
        var pairs: [(ByteBuffer, [Frame])] = []
        for vector in FrameVector.all {
            pairs.append((ByteBuffer(bytes: try SpecFiles.vector(vector.file)), [vector.frame]))
        }
        pairs.append((ByteBuffer(bytes: Self.extensionFrame), []))
        let message = Frame.message(streamID: 13, payload: ByteBuffer(bytes: [0x0A, 0x00]))
        let end = Frame.end(streamID: 13, EndBody(status: 0, outcome: 1, metadata: [MetadataEntry(key: "trailer-bin", value: [0xFF, 0x00])]))
        pairs.append((ByteBuffer(bytes: encoded(message) + Self.extensionFrame + encoded(end)), [message, end]))
        let empty = Frame.message(streamID: 15, payload: ByteBuffer())
        pairs.append((ByteBuffer(bytes: encoded(empty)), [empty]))

        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) {
            FrameDecoder(expectPreface: false)
        }
    }

    @Test("server side: the preface, the client's HELLO, a CALL, an extension frame, a PING")
    func serverSide() throws {
        let input = try Self.serverInput()
        let expected = [FrameVector.all[0].frame, FrameVector.all[2].frame, Frame.ping(42)]
        // The verifier keeps one decoder and feeds it the input again and again; each copy starts
        // with the preface, so each copy is a new connection with a new server-side decoder.
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: [(ByteBuffer(bytes: input), expected)]) {
            ConnectionPerInputDecoder(framesPerConnection: expected.count)
        }
    }

    @Test("server side: every split of the input into two reads gives the same frames")
    func serverSideEverySplit() throws {
        let input = try Self.serverInput()
        let expected = [FrameVector.all[0].frame, FrameVector.all[2].frame, Frame.ping(42)]
        for split in 0...input.count {
            let processor = NIOSingleStepByteToMessageProcessor(FrameDecoder(expectPreface: true))
            var frames: [Frame] = []
            try processor.process(buffer: ByteBuffer(bytes: input[..<split])) { frames.append($0) }
            try processor.process(buffer: ByteBuffer(bytes: input[split...])) { frames.append($0) }
            try processor.finishProcessing(seenEOF: true) { frames.append($0) }
            #expect(frames == expected, "split at byte \(split)")
        }
    }

    static func serverInput() throws -> [UInt8] {
        try SpecFiles.vector(FrameVector.prefaceFile)
            + SpecFiles.vector("02-hello-client.hex")
            + SpecFiles.vector("04-call.hex")
            + Self.extensionFrame
            + encoded(.ping(42))
    }
}

/// A server-side ``FrameDecoder`` per connection, where a connection is `framesPerConnection` frames.
struct ConnectionPerInputDecoder: NIOSingleStepByteToMessageDecoder {
    typealias InboundOut = Frame

    let framesPerConnection: Int
    private var decoder = FrameDecoder(expectPreface: true)
    private var decoded = 0

    init(framesPerConnection: Int) {
        self.framesPerConnection = framesPerConnection
    }

    mutating func decode(buffer: inout ByteBuffer) throws -> Frame? {
        guard let frame = try self.decoder.decode(buffer: &buffer) else { return nil }
        self.decoded += 1
        if self.decoded == self.framesPerConnection {
            self.decoder = FrameDecoder(expectPreface: true)
            self.decoded = 0
        }
        return frame
    }

    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> Frame? {
        try self.decode(buffer: &buffer)
    }
}
