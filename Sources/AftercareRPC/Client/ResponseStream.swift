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
            do {
                return try Response(serializedBytes: ProtobufBytes(bytes))
            } catch {
                throw RPCError(.internal, "response is not a valid \(Response.protoMessageName): \(error)", outcome: .executed)
            }
        }
    }
}
