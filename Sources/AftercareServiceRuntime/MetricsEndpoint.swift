package import AftercareServiceKit
package import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
package import Prometheus
import ServiceLifecycle

/// The HTTP endpoint of `metrics.listen`: `GET /metrics` runs the service's ``ScrapeProbe``s, then
/// answers the registry in Prometheus' text exposition format; any other path is 404, any other
/// method 405. A swift-service-lifecycle `Service`: it stops listening on graceful shutdown.
package final class MetricsEndpoint: Service, Sendable {
    private let channel: any Channel
    private let logger: Logger

    private init(channel: any Channel, logger: Logger) {
        self.channel = channel
        self.logger = logger
    }

    /// Listens on `address`; a port of 0 takes a free one (``port`` says which).
    /// - Throws: ``ServiceSettingsError`` for `metrics.listen` when the address cannot be bound.
    package static func bind(
        to address: HostPort, registry: PrometheusCollectorRegistry, probes: [ScrapeProbe], logger: Logger
    ) async throws -> MetricsEndpoint {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(registry: registry, probes: probes, logger: logger))
                }
            }
        do {
            let channel = try await bootstrap.bind(host: address.host, port: address.port).get()
            return MetricsEndpoint(channel: channel, logger: logger)
        } catch {
            throw ServiceSettingsError(key: "metrics.listen", problem: "cannot listen on \(address): \(error)")
        }
    }

    /// The port it listens on.
    package var port: Int { self.channel.localAddress?.port ?? 0 }

    package func run() async throws {
        self.logger.info("serving metrics", metadata: ["metrics.listen": "\(self.channel.localAddress.map { "\($0)" } ?? "-")"])
        try await withGracefulShutdownHandler {
            try await self.channel.closeFuture.get()
        } onGracefulShutdown: {
            self.channel.close(promise: nil)
        }
    }
}

/// One HTTP connection of the metrics endpoint.
private final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let registry: PrometheusCollectorRegistry
    private let probes: [ScrapeProbe]
    private let logger: Logger
    private var request: HTTPRequestHead?

    init(registry: PrometheusCollectorRegistry, probes: [ScrapeProbe], logger: Logger) {
        self.registry = registry
        self.probes = probes
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.request = head
        case .body:
            break
        case .end:
            guard let head = self.request else { return }
            self.request = nil
            guard head.method == .GET, head.uri.prefix(while: { $0 != "?" }) == "/metrics", !self.probes.isEmpty else {
                self.respond(to: head, context: context)
                return
            }
            let (probes, logger) = (self.probes, self.logger)
            context.eventLoop.makeFutureWithTask {
                for probe in probes {
                    do {
                        try await probe.refresh()
                    } catch {
                        logger.warning("a metrics probe failed; its gauges keep their last values", metadata: ["probe": "\(probe.name)", "error": "\(error)"])
                    }
                }
            }.assumeIsolated().whenComplete { _ in
                // The scraper may have gone while the probes read.
                guard context.channel.isActive else { return }
                self.respond(to: head, context: context)
            }
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.prefix { $0 != "?" }
        let status: HTTPResponseStatus
        var body: [UInt8] = []
        var headers = HTTPHeaders()
        switch (head.method, path) {
        case (.GET, "/metrics"):
            status = .ok
            self.registry.emit(into: &body)
            headers.add(name: "content-type", value: "text/plain; version=0.0.4; charset=utf-8")
        case (_, "/metrics"):
            status = .methodNotAllowed
            headers.add(name: "allow", value: "GET")
        default:
            status = .notFound
        }
        headers.add(name: "content-length", value: "\(body.count)")
        let keepAlive = head.isKeepAlive
        if !keepAlive { headers.add(name: "connection", value: "close") }
        context.write(self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        context.write(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: written)
        if !keepAlive {
            written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}
