import NIOCore
public import SwiftProtobuf

/// The messages of a server-streaming call, as an `AsyncSequence`. Iterate it inside the closure
/// given to ``RPCClient/serverStreaming(_:_:options:_:)``; reading it grants the server credit.
public struct ResponseStream<Response: SwiftProtobuf.Message>: AsyncSequence, Sendable {
    public typealias Element = Response
    public typealias Failure = any Error

    let call: ClientCallStream

    public func makeAsyncIterator() -> Iterator {
        Iterator(call: self.call)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let call: ClientCallStream
        var consumed: UInt32 = 0
        var finished = false

        public mutating func next() async throws -> Response? {
            guard !self.finished else { return nil }
            guard let bytes = try await self.call.next(consumed: &self.consumed) else {
                self.finished = true
                return nil
            }
            return try Self.decode(bytes)
        }

        /// The next response if it has already arrived, without waiting: `nil` when none has
        /// (then ``next()`` waits for it) or when the call has ended (then ``next()`` answers
        /// `nil`). A reader takes what is there in one go: the first with ``next()``, the rest
        /// with this.
        public mutating func nextIfArrived() throws -> Response? {
            guard !self.finished, let arrived = try self.call.nextIfArrived(consumed: &self.consumed) else { return nil }
            guard let bytes = arrived else {
                self.finished = true
                return nil
            }
            return try Self.decode(bytes)
        }

        private static func decode(_ bytes: ByteBuffer) throws -> Response {
            do {
                return try Response(serializedBytes: ProtobufBytes(bytes))
            } catch {
                throw RPCError(.internal, "response is not a valid \(Response.protoMessageName): \(error)", outcome: .executed)
            }
        }
    }
}
