import AftercareRPC
import AftercareWire

/// Two in-memory frame streams, one each way; closing either side ends both.
struct FramePipe: Sendable {
    let toServer: AsyncThrowingStream<Frame, any Error>
    let toClient: AsyncThrowingStream<Frame, any Error>
    private let toServerContinuation: AsyncThrowingStream<Frame, any Error>.Continuation
    private let toClientContinuation: AsyncThrowingStream<Frame, any Error>.Continuation

    init() {
        (self.toServer, self.toServerContinuation) = AsyncThrowingStream.makeStream()
        (self.toClient, self.toClientContinuation) = AsyncThrowingStream.makeStream()
    }

    var clientWriter: Writer { Writer(continuation: self.toServerContinuation, pipe: self) }
    var serverWriter: Writer { Writer(continuation: self.toClientContinuation, pipe: self) }

    func close() {
        self.toServerContinuation.finish()
        self.toClientContinuation.finish()
    }

    /// Writes into one direction of the pipe.
    struct Writer: FrameWriter {
        let continuation: AsyncThrowingStream<Frame, any Error>.Continuation
        let pipe: FramePipe

        func write(contentsOf frames: [Frame]) async throws {
            for frame in frames {
                guard case .enqueued = self.continuation.yield(frame) else {
                    throw InProcessTransportError(message: "the in-process connection is closed")
                }
            }
        }

        func close() async {
            self.pipe.close()
        }
    }
}
