package import NIOCore

/// The handlers that turn a byte channel into a frame channel, for peers that work frame by frame
/// (the test kit's raw connections and scripted peers; the RPC runtime decodes and encodes in its
/// own protocol handlers).
package enum FramePipeline {
    /// Adds the frame decoder and encoder; the server side expects the preface, the client writes it.
    package static func addFrameCodec(to channel: any Channel, isServer: Bool, maxFrameSize: UInt32) throws {
        let handlers = channel.pipeline.syncOperations
        try handlers.addHandler(ByteToMessageHandler(FrameDecoder(expectPreface: isServer, maxFrameSize: maxFrameSize)))
        try handlers.addHandler(FrameEncoderHandler(writePreface: !isServer))
    }
}
