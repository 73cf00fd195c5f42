public import NIOCore

/// The first 8 bytes of a connection were not the preface: the peer does not speak this protocol,
/// and is not answered (WIRE.md §2.1).
public struct PrefaceMismatch: Error, Sendable, Hashable {
    /// What arrived instead.
    public var received: [UInt8]
}

/// Turns bytes into frames, checking each against WIRE.md before it is buffered.
///
/// A server's decoder first expects the 8-byte preface. The frame size limit is checked from the
/// header alone, so an oversized frame never makes the decoder allocate its body. Every violation
/// throws a ``WireError`` with the `CONN_ERROR` code the connection is closed with, except a bad
/// preface, which throws ``PrefaceMismatch``.
public struct FrameDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = Frame

    private var awaitingPreface: Bool
    /// The largest body this side accepts (its HELLO's max frame size).
    public let maxFrameSize: UInt32

    /// - Parameters:
    ///   - expectPreface: `true` on the server side of a connection.
    ///   - maxFrameSize: the largest `length` accepted.
    public init(expectPreface: Bool, maxFrameSize: UInt32 = WireLimits.defaults.maxFrameSize) {
        self.awaitingPreface = expectPreface
        self.maxFrameSize = maxFrameSize
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> Frame? {
        if self.awaitingPreface {
            guard let bytes = buffer.readBytes(length: WireProtocol.preface.count) else { return nil }
            guard bytes == WireProtocol.preface else {
                throw PrefaceMismatch(received: bytes)
            }
            self.awaitingPreface = false
        }
        while true {
            guard let frame = try self.decodeFrame(buffer: &buffer) else { return nil }
            if frame.type.isExtension { continue }
            return frame
        }
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> Frame? {
        try self.decode(buffer: &buffer)
    }

    private func decodeFrame(buffer: inout ByteBuffer) throws -> Frame? {
        let start = buffer.readerIndex
        guard
            let length = buffer.getInteger(at: start, as: UInt32.self),
            let rawType = buffer.getInteger(at: start + 4, as: UInt8.self),
            let rawFlags = buffer.getInteger(at: start + 5, as: UInt8.self),
            let extLength = buffer.getInteger(at: start + 6, as: UInt16.self),
            let streamID = buffer.getInteger(at: start + 8, as: UInt32.self)
        else { return nil }

        let type = FrameType(rawValue: rawType)
        guard length <= self.maxFrameSize else {
            throw WireError(.frameTooLarge, "\(type) frame of \(length) bytes exceeds the maximum frame size \(self.maxFrameSize)")
        }
        guard type.isExtension || extLength <= length else {
            throw WireError(.protocolError, "\(type) frame: ext_len \(extLength) exceeds length \(length)")
        }
        guard buffer.readableBytes >= WireProtocol.headerSize + Int(length) else { return nil }
        if type.isExtension {
            // Ignored unread, whatever its header says beyond the length (WIRE.md §3.1).
            buffer.moveReaderIndex(forwardBy: WireProtocol.headerSize + Int(length))
            return Frame(type: type, streamID: streamID)
        }
        buffer.moveReaderIndex(forwardBy: WireProtocol.headerSize)
        // Both slices exist: the whole body is buffered and ext_len <= length.
        let ext = buffer.readSlice(length: Int(extLength))!
        let payload = buffer.readSlice(length: Int(length - UInt32(extLength)))!
        let frame = Frame(type: type, flags: FrameFlags(rawValue: rawFlags), streamID: streamID, ext: ext, payload: payload)
        try Self.validate(frame)
        return frame
    }

    /// The checks that need no connection state (WIRE.md §3.1, §4).
    static func validate(_ frame: Frame) throws(WireError) {
        let type = frame.type
        guard type.isKnown else {
            throw WireError(.protocolError, "unknown frame type \(type)")
        }
        guard frame.streamID <= WireProtocol.maxStreamID else {
            throw WireError(.protocolError, "\(type) frame: stream id bit 31 is set")
        }
        if type.isConnectionFrame {
            guard frame.streamID == 0 else {
                throw WireError(.protocolError, "\(type) is a connection frame but has stream id \(frame.streamID)")
            }
        } else {
            guard frame.streamID != 0 else {
                throw WireError(.protocolError, "\(type) is a stream frame but has stream id 0")
            }
        }
        guard type.hasExtBlock || frame.ext.readableBytes == 0 else {
            throw WireError(.protocolError, "\(type) frame must not carry an ext block")
        }
        let size = frame.payload.readableBytes
        switch type {
        case .ping:
            guard size == 8 else { throw WireError(.protocolError, "PING payload must be 8 bytes, got \(size)") }
        case .cancel:
            guard size == 1 else { throw WireError(.protocolError, "CANCEL payload must be 1 byte, got \(size)") }
        case .credit:
            guard size == 4 else { throw WireError(.protocolError, "CREDIT payload must be 4 bytes, got \(size)") }
        case .drain:
            guard size == 9 else { throw WireError(.protocolError, "DRAIN payload must be 9 bytes, got \(size)") }
        case .end:
            guard size >= 8 else { throw WireError(.protocolError, "END payload must be at least 8 bytes, got \(size)") }
        case .connectionError:
            guard size >= 2 else { throw WireError(.protocolError, "CONN_ERROR payload must be at least 2 bytes, got \(size)") }
        case .hello:
            guard size == 0 else { throw WireError(.protocolError, "HELLO payload must be empty, got \(size) bytes") }
        case .message:
            guard !frame.flags.contains(.compressed) else {
                throw WireError(.protocolError, "MESSAGE with COMPRESSED set: version 1 negotiates no compression")
            }
        default:
            break
        }
    }
}
