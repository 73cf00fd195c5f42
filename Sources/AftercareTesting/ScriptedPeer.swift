package import AftercareRPC
package import AftercareWire
package import NIOCore

/// A peer that answers frames as a script says, to play a misbehaving or scripted server.
package final class ScriptedPeer: ChannelInboundHandler, Sendable {
    package typealias InboundIn = Frame

    /// What the script may do with the connection.
    package struct Reply: Sendable {
        let channel: any Channel

        /// Writes and flushes frames, in order.
        package func send(_ frames: Frame...) {
            for frame in frames { self.channel.write(frame, promise: nil) }
            self.channel.flush()
        }

        /// Closes the connection.
        package func close() {
            self.channel.close(promise: nil)
        }
    }

    private let script: @Sendable (Frame, Reply) -> Void

    /// `script` sees each frame the peer reads.
    package init(_ script: @escaping @Sendable (Frame, Reply) -> Void) {
        self.script = script
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.script(Self.unwrapInboundIn(data), Reply(channel: context.channel))
    }
}

extension ServerTransport {
    /// Serves every connection with a ``ScriptedPeer`` running `script`, until shut down.
    package func listenScripted(_ script: @escaping @Sendable (Frame, ScriptedPeer.Reply) -> Void) async throws {
        try await self.listen { accepted in
            try FramePipeline.addFrameCodec(to: accepted.channel, isServer: true, maxFrameSize: WireLimits.frameSizeRange.upperBound)
            try accepted.channel.pipeline.syncOperations.addHandler(ScriptedPeer(script))
        }
    }
}
