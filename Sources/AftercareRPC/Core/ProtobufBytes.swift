public import NIOCore
public import SwiftProtobuf

/// A `ByteBuffer` as SwiftProtobuf's bag of bytes: requests and responses decode straight from the
/// frame's slice and encode straight into the buffer that is written, without an `[UInt8]` between.
public struct ProtobufBytes: SwiftProtobufContiguousBytes, Sendable {
    public var buffer: ByteBuffer

    public init(_ buffer: ByteBuffer) {
        self.buffer = buffer
    }

    public init(repeating: UInt8, count: Int) {
        self.buffer = ByteBuffer(repeating: repeating, count: count)
    }

    public init<S: Sequence>(_ sequence: S) where S.Element == UInt8 {
        self.buffer = ByteBuffer(bytes: sequence)
    }

    public var count: Int { self.buffer.readableBytes }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try self.buffer.withUnsafeReadableBytes(body)
    }

    public mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try self.buffer.withUnsafeMutableReadableBytes(body)
    }
}

extension SwiftProtobuf.Message {
    /// The message's binary encoding in a `ByteBuffer`.
    func serializedBuffer() throws -> ByteBuffer {
        let bytes: ProtobufBytes = try self.serializedBytes()
        return bytes.buffer
    }
}
