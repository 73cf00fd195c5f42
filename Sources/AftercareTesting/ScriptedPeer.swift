public import AftercareRPC
public import AftercareWire
public import NIOCore

/// A peer that answers frames as a script says, to play a misbehaving or scripted server.
public final class ScriptedPeer: ChannelInboundHandler, Sendable {
    public typealias InboundIn = Frame

    /// What the script may do with the connection.
    public struct Reply: Sendable {
        let channel: any Channel

        /// Writes and flushes frames, in order.
        public func send(_ frames: Frame...) {
            for frame in frames { self.channel.write(frame, promise: nil) }
            self.channel.flush()
        }

        /// Closes the connection.
        public func close() {
            self.channel.close(promise: nil)
        }
    }

    private let script: @Sendable (Frame, Reply) -> Void

    /// `script` sees each frame the peer reads.
    public init(_ script: @escaping @Sendable (Frame, Reply) -> Void) {
        self.script = script
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.script(Self.unwrapInboundIn(data), Reply(channel: context.channel))
    }
}

extension ServerTransport {
    /// Serves every connection with a ``ScriptedPeer`` running `script`, until shut down.
    public func listenScripted(_ script: @escaping @Sendable (Frame, ScriptedPeer.Reply) -> Void) async throws {
        try await self.listen { accepted in
            try FramePipeline.addFrameCodec(to: accepted.channel, isServer: true, maxFrameSize: WireLimits.frameSizeRange.upperBound)
            try accepted.channel.pipeline.syncOperations.addHandler(ScriptedPeer(script))
        }
    }
}
