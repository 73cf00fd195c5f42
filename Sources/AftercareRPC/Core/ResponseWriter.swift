public import NIOCore
public import SwiftProtobuf

/// Sends a server-streaming handler's messages; `write` waits while the client's window is closed.
public struct ResponseWriter<Response: SwiftProtobuf.Message>: Sendable {
    let raw: RawResponseWriter

    /// Sends one message, waiting for flow-control credit if needed.
    public func write(_ message: Response) async throws {
        let bytes: ByteBuffer
        do {
            bytes = try message.serializedBuffer()
        } catch {
            throw RPCError(.internal, "could not encode \(Response.protoMessageName): \(error)")
        }
        try await self.raw.write(bytes)
    }
}

/// The untyped side of ``ResponseWriter``: sends encoded messages on one call.
public struct RawResponseWriter: Sendable {
    let send: @Sendable (ByteBuffer) async throws -> Void

    public init(send: @escaping @Sendable (ByteBuffer) async throws -> Void) {
        self.send = send
    }

    public func write(_ message: ByteBuffer) async throws {
        try await self.send(message)
    }
}
