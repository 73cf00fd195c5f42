import AftercareWire
import NIOCore
import Testing

/// The files of `proto-spec/vectors/` against the frames WIRE.md §14 describes.
@Suite("Test vectors (WIRE.md §14)")
struct VectorTests {
    @Test("every vector file is covered by a test")
    func everyFileIsCovered() throws {
        let files = try SpecFiles.vectorFileNames()
        #expect(files == [FrameVector.prefaceFile] + FrameVector.all.map(\.file))
        #expect(files.count == 14)
    }

    @Test("the typed frame encodes to the vector byte for byte", arguments: FrameVector.all)
    func encodesToVector(_ vector: FrameVector) throws {
        let expected = try SpecFiles.vector(vector.file)
        #expect(encoded(vector.frame) == expected)
    }

    @Test("the vector decodes to the typed frame and body", arguments: FrameVector.all)
    func decodesVector(_ vector: FrameVector) throws {
        let bytes = try SpecFiles.vector(vector.file)
        let frames = try decodeAll(bytes, expectPreface: false)
        try #require(frames.count == 1)
        let frame = frames[0]
        #expect(frame.type == vector.frame.type)
        #expect(frame.flags == vector.frame.flags)
        #expect(frame.streamID == vector.frame.streamID)
        #expect(frame.ext == vector.frame.ext)
        #expect(frame.payload == vector.frame.payload)
        #expect(frame.length == bytes.count - WireProtocol.headerSize)
        #expect(try TypedBody(parsing: frame) == vector.body)
    }

    @Test("the decoded frame re-encodes to the identical bytes", arguments: FrameVector.all)
    func reencodesDecodedVector(_ vector: FrameVector) throws {
        let bytes = try SpecFiles.vector(vector.file)
        let frame = try #require(try decodeAll(bytes).first)
        #expect(encoded(frame) == bytes)
    }

    @Test("01-preface.hex is WireProtocol.preface")
    func prefaceVector() throws {
        let bytes = try SpecFiles.vector(FrameVector.prefaceFile)
        #expect(bytes == WireProtocol.preface)
        #expect(bytes.count == 8)
        #expect(Array(bytes.prefix(4)) == Array("AFTC".utf8))
    }

    @Test("a server-side decoder reads the preface, then the client's HELLO")
    func serverDecodesPrefaceThenHello() throws {
        let preface = try SpecFiles.vector(FrameVector.prefaceFile)
        let hello = try SpecFiles.vector("02-hello-client.hex")
        let frames = try decodeAll(preface + hello, expectPreface: true)
        try #require(frames.count == 1)
        #expect(frames[0] == FrameVector.all[0].frame)
        #expect(try TypedBody(parsing: frames[0]) == FrameVector.all[0].body)
    }

    @Test("a client-side decoder does not expect the preface")
    func clientDecoderRejectsPreface() throws {
        // Read as a header, the preface claims a 1.1 GB frame.
        let preface = try SpecFiles.vector(FrameVector.prefaceFile)
        let hello = try SpecFiles.vector("03-hello-server.hex")
        #expect(throws: WireError.self) { try decodeAll(preface + hello, expectPreface: false) }
    }

    @Test("a client's encoder writes the preface before its first frame only")
    func clientEncoderWritesPrefaceOnce() throws {
        let preface = try SpecFiles.vector(FrameVector.prefaceFile)
        let hello = try SpecFiles.vector("02-hello-client.hex")
        let call = try SpecFiles.vector("04-call.hex")
        var encoder = FrameEncoder(writePreface: true)
        var out = ByteBuffer()
        encoder.encode(FrameVector.all[0].frame, into: &out)
        encoder.encode(FrameVector.all[2].frame, into: &out)
        #expect(Array(out.readableBytesView) == preface + hello + call)

        var serverEncoder = FrameEncoder(writePreface: false)
        var serverOut = ByteBuffer()
        serverEncoder.encode(FrameVector.all[1].frame, into: &serverOut)
        #expect(Array(serverOut.readableBytesView) == (try SpecFiles.vector("03-hello-server.hex")))
    }

    @Test("END encoded straight from its body is byte for byte the END frame", arguments: [
        EndBody(status: 0, outcome: 1),
        EndBody(status: 5, outcome: 0, retryAfterMs: 250, message: "order o_1 not found — ünïcode"),
        EndBody(status: 0, outcome: 2, metadata: [MetadataEntry(key: "trailer-bin", value: [0xFF, 0x00]), MetadataEntry(key: "x", value: "y")]),
    ])
    func endEncodedFromBody(_ body: EndBody) {
        var framed = ByteBuffer()
        var direct = ByteBuffer()
        var encoder = FrameEncoder(writePreface: false)
        encoder.encode(Frame.end(streamID: 7, body), into: &framed)
        encoder.encodeEnd(streamID: 7, body, into: &direct)
        #expect(direct == framed)
    }

    @Test("CALL encoded straight from its fields is byte for byte the CALL frame, preface first on a client", arguments: [
        CallFields(method: "a.B/C"),
        CallFields(
            method: "aftercare.echo.v1.Echo/Say", timeoutMicros: 30_000_000, traceParent: TraceParent(traceID: .random(), parentID: 9),
            saga: SagaContext(sagaID: "s_1", step: "refund", attempt: 2), idempotencyKey: "k", actor: "buyer:1",
            metadata: [MetadataEntry(key: "x", value: "y")]),
    ])
    func callEncodedFromFields(_ fields: CallFields) {
        let payload = ByteBuffer(bytes: [1, 2, 3, 4, 5])
        var framed = ByteBuffer()
        var direct = ByteBuffer()
        var framing = FrameEncoder(writePreface: true)
        var encoder = FrameEncoder(writePreface: true)
        framing.encode(Frame.call(streamID: 5, fields: fields, payload: payload, flags: .more), into: &framed)
        encoder.encodeCallHeader(streamID: 5, flags: .more, fields: fields, payloadLength: payload.readableBytes, into: &direct)
        direct.writeImmutableBuffer(payload)
        #expect(direct == framed)
    }
}
