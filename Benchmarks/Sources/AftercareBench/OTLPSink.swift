import NIOCore
import NIOHTTP1
import NIOPosix

/// The collector systems (e) and (f) export to: an HTTP/1.1 server on 127.0.0.1 that reads every
/// request whole and answers `200 OK` with an empty protobuf body (an empty
/// `ExportTraceServiceResponse`: everything accepted), so swift-otel's exporter sends every batch
/// as it would to a real collector — none is dropped to a refused connection or a back-off.
final class OTLPSink: Sendable {
    private let channel: any Channel

    /// The port it listens on.
    let port: Int

    private init(channel: any Channel, port: Int) {
        self.channel = channel
        self.port = port
    }

    /// Starts listening on a free port of 127.0.0.1.
    static func start() async throws -> OTLPSink {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Accept())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else { throw BenchmarkError("the OTLP sink has no port") }
        return OTLPSink(channel: channel, port: port)
    }

    /// Stops listening.
    func stop() async throws {
        try await self.channel.close()
    }

    /// Answers each whole request `200 OK`, empty protobuf body, keep-alive.
    private final class Accept: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = self.unwrapInboundIn(data) else { return }
            var head = HTTPResponseHead(version: .http1_1, status: .ok)
            head.headers.add(name: "Content-Type", value: "application/x-protobuf")
            head.headers.add(name: "Content-Length", value: "0")
            context.write(self.wrapOutboundOut(.head(head)), promise: nil)
            context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
