import AftercareNIO
import AftercareRPC
import BenchEcho
import Foundation
import Logging
import NIOPosix

/// System (b): `RPCServer` with `PlainEchoService` over `NIOServerTransport`, `RPCClient` over
/// `NIOClientTransport`, default configurations, calling `aftercare.echo.v1.Echo/Say`. Its
/// callers are tasks in Swift's pool; in (g) they run on the client connection's event loop
/// (`EventLoopTaskExecutor`), as (a)'s client does, a loop of its own.
enum AftercareSystem {
    /// Measures (b); with `underCallersTraces`, each call carries a new trace's context, as every
    /// call a service makes carries its caller's (a handler's, a saga step's), so a sampled-out
    /// trace is decided from its id before any span is asked for, on both sides.
    static func measure(
        plan: Plan, security: Security, certificates: Certificates, socketPath: String, underCallersTraces: Bool = false,
        callersOnLoop: Bool = false
    ) async throws -> Measurement {
        var logger = Logger(label: "aftercare-bench")
        logger.logLevel = .error
        let transport = try await NIOServerTransport.bind(
            to: .unix(path: socketPath),
            tls: security == .mutualTLS
                ? ServerTLS(certificateFile: certificates.serverCertificate, privateKeyFile: certificates.serverKey,
                            trustRootsFile: certificates.ca)
                : nil,
            logger: logger)
        let server = RPCServer(transports: [transport], services: [PlainEchoService()],
                               configuration: .init(name: "aftercare-bench-echo"), logger: logger)
        // (g)'s client gets a loop of its own, as a client in another process would have: on one of
        // the singleton's two loops it would often share the server connection's thread.
        let loop = Self.callerLoop
        let client = RPCClient(
            transport: NIOClientTransport(
                address: .unix(path: socketPath),
                tls: security == .mutualTLS
                    ? ClientTLS(trustRootsFile: certificates.ca, serverName: Certificates.serverName,
                                certificateFile: certificates.clientCertificate, privateKeyFile: certificates.clientKey)
                    : nil,
                eventLoopGroup: callersOnLoop ? loop : MultiThreadedEventLoopGroup.singleton),
            configuration: .init(name: "aftercare-bench-client"), logger: logger)
        let callers: (any TaskExecutor)? = callersOnLoop ? EventLoopTaskExecutor(loop) : nil
        let request = echoRequest
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            group.addTask { try await client.run() }
            let say: @Sendable () async throws -> Void = {
                _ = try await client.unary(EchoService.say, request, options: CallOptions(traceParent: underCallersTraces ? .random() : nil))
            }
            let (latencies, mallocs) = try await withTaskExecutorPreference(callers) { try await measureSequential(plan, say) }
            let throughput = try await withTaskExecutorPreference(callers) { try await measureThroughput(plan, say) }
            let response: [UInt8] = try await client.unary(EchoService.say, request).serializedBytes()
            client.beginGracefulShutdown()
            server.beginGracefulShutdown()
            try await group.waitForAll()
            return Measurement(latencies: latencies, callsPerSecond: throughput.callsPerSecond, cpuMicrosPerCall: throughput.cpuMicrosPerCall, mallocsPerCall: mallocs, responseBytes: response.count)
        }
    }

    /// The loop of (g)'s client and callers.
    static let callerLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1).next()

    /// An echo request of 100 bytes encoded: field 2 (payload) with a 98-byte value.
    static var echoRequest: Aftercare_Echo_V1_EchoRequest {
        var request = Aftercare_Echo_V1_EchoRequest()
        request.payload = Data(repeating: 0x61, count: 98)
        return request
    }
}
