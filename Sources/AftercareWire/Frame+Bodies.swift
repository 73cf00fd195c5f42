public import NIOCore

// Building frames from typed bodies, and reading typed bodies from frames.
extension Frame {
    /// A CALL frame: the call fields and the request message (or its first fragment).
    public static func call(streamID: UInt32, fields: CallFields, payload: ByteBuffer, flags: FrameFlags = .endStream) -> Frame {
        Frame(type: .call, flags: flags, streamID: streamID, ext: fields.encoded(), payload: payload)
    }

    /// A MESSAGE frame.
    public static func message(streamID: UInt32, payload: ByteBuffer, flags: FrameFlags = []) -> Frame {
        Frame(type: .message, flags: flags, streamID: streamID, payload: payload)
    }

    /// An END frame.
    public static func end(streamID: UInt32, _ body: EndBody) -> Frame {
        var ext = ByteBuffer()
        if !body.metadata.isEmpty {
            ext = ByteBufferAllocator().buffer(capacity: MetadataEntry.encodedSize(body.metadata))
            body.writeExt(to: &ext)
        }
        var payload = ByteBufferAllocator().buffer(capacity: 8 + body.message.utf8.count)
        body.writePayload(to: &payload)
        return Frame(type: .end, streamID: streamID, ext: ext, payload: payload)
    }

    /// A CANCEL frame.
    public static func cancel(streamID: UInt32, reason: CancelReason) -> Frame {
        var payload = ByteBuffer()
        payload.writeInteger(reason.rawValue)
        return Frame(type: .cancel, streamID: streamID, payload: payload)
    }

    /// A CREDIT frame.
    public static func credit(streamID: UInt32, increment: UInt32) -> Frame {
        var payload = ByteBuffer()
        payload.writeInteger(increment)
        return Frame(type: .credit, streamID: streamID, payload: payload)
    }

    /// A HELLO frame.
    public static func hello(_ fields: HelloFields) -> Frame {
        var ext = ByteBuffer()
        fields.write(to: &ext)
        return Frame(type: .hello, streamID: 0, ext: ext)
    }

    /// A PING, or with `ack` its answer.
    public static func ping(_ opaque: UInt64, ack: Bool = false) -> Frame {
        var payload = ByteBuffer()
        payload.writeInteger(opaque)
        return Frame(type: .ping, flags: ack ? .ack : [], streamID: 0, payload: payload)
    }

    /// A DRAIN frame.
    public static func drain(_ body: DrainBody) -> Frame {
        var payload = ByteBuffer()
        payload.writeInteger(body.lastStreamID)
        payload.writeInteger(body.reason.rawValue)
        payload.writeInteger(body.deadlineMs)
        return Frame(type: .drain, streamID: 0, payload: payload)
    }

    /// A CONN_ERROR frame.
    public static func connectionError(_ body: ConnectionErrorBody) -> Frame {
        var payload = ByteBuffer()
        payload.writeInteger(body.code.rawValue)
        payload.writeString(body.text)
        return Frame(type: .connectionError, streamID: 0, payload: payload)
    }

    // The readers assume a frame the decoder has validated (payload sizes checked there).

    /// The reason of a CANCEL frame.
    public func cancelReason() throws(FieldError) -> CancelReason {
        let raw = self.payload.getInteger(at: self.payload.readerIndex, as: UInt8.self) ?? 0
        guard let reason = CancelReason(rawValue: raw) else { throw FieldError("CANCEL reason \(raw) is not 1, 2 or 3") }
        return reason
    }

    /// The increment of a CREDIT frame.
    public func creditIncrement() throws(FieldError) -> UInt32 {
        let increment = self.payload.getInteger(at: self.payload.readerIndex, as: UInt32.self) ?? 0
        guard increment >= 1 else { throw FieldError("CREDIT increment must be at least 1") }
        return increment
    }

    /// The 8 opaque bytes of a PING.
    public func pingData() -> UInt64 {
        self.payload.getInteger(at: self.payload.readerIndex, as: UInt64.self) ?? 0
    }

    /// The body of a DRAIN frame.
    public func drainBody() throws(FieldError) -> DrainBody {
        let index = self.payload.readerIndex
        guard let last = self.payload.getInteger(at: index, as: UInt32.self),
            let rawReason = self.payload.getInteger(at: index + 4, as: UInt8.self),
            let deadline = self.payload.getInteger(at: index + 5, as: UInt32.self)
        else { throw FieldError("DRAIN payload must be 9 bytes") }
        guard let reason = DrainReason(rawValue: rawReason) else { throw FieldError("DRAIN reason \(rawReason) is not 0, 1 or 2") }
        return DrainBody(lastStreamID: last, reason: reason, deadlineMs: deadline)
    }

    /// The body of a CONN_ERROR frame.
    public func connectionErrorBody() -> ConnectionErrorBody {
        var payload = self.payload
        let code = payload.readInteger(as: UInt16.self) ?? ConnectionErrorCode.protocolError.rawValue
        let text = payload.readString(length: payload.readableBytes) ?? ""
        return ConnectionErrorBody(code: ConnectionErrorCode(rawValue: code), text: text)
    }

    /// The body of an END frame.
    public func endBody() throws(FieldError) -> EndBody {
        try EndBody.parse(ext: self.ext, payload: self.payload)
    }
}
