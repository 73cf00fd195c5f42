import BenchEcho
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import GRPCProtobuf

/// System (c): grpc-swift-2 over its HTTP/2 transport on a Unix socket, with a hand-written echo
/// service and client for the Aftercare echo messages (no code generation). Its response carries
/// the request's text and payload, 100 bytes encoded.
enum GRPCSystem {
    static let say = MethodDescriptor(fullyQualifiedService: "aftercare.echo.v1.Echo", method: "Say")

    /// Echoes text and payload back, as `EchoService.say` does (without its reflected call details).
    struct EchoGRPCService: RegistrableRPCService {
        func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
            router.registerHandler(
                forMethod: GRPCSystem.say,
                deserializer: ProtobufDeserializer<Aftercare_Echo_V1_EchoRequest>(),
                serializer: ProtobufSerializer<Aftercare_Echo_V1_EchoResponse>()
            ) { request, _ in
                let single = try await ServerRequest(stream: request)
                var response = Aftercare_Echo_V1_EchoResponse()
                response.text = single.message.text
                response.payload = single.message.payload
                return StreamingServerResponse(single: ServerResponse(message: response))
            }
        }
    }

    static func measure(plan: Plan, security: Security, certificates: Certificates, socketPath: String) async throws -> Measurement {
        let serverSecurity: HTTP2ServerTransport.Posix.TransportSecurity
        let clientSecurity: HTTP2ClientTransport.Posix.TransportSecurity
        switch security {
        case .plaintext:
            serverSecurity = .plaintext
            clientSecurity = .plaintext
        case .mutualTLS:
            serverSecurity = .mTLS(
                certificateChain: [.file(path: certificates.serverCertificate, format: .pem)],
                privateKey: .file(path: certificates.serverKey, format: .pem)
            ) { config in
                config.trustRoots = .certificates([.file(path: certificates.ca, format: .pem)])
                config.clientCertificateVerification = .noHostnameVerification
            }
            clientSecurity = .mTLS(
                certificateChain: [.file(path: certificates.clientCertificate, format: .pem)],
                privateKey: .file(path: certificates.clientKey, format: .pem)
            ) { config in
                config.trustRoots = .certificates([.file(path: certificates.ca, format: .pem)])
                config.serverCertificateVerification = .fullVerification
            }
        }
        let server = GRPCServer(
            transport: HTTP2ServerTransport.Posix(address: .unixDomainSocket(path: socketPath), transportSecurity: serverSecurity),
            services: [EchoGRPCService()])
        var clientConfig = HTTP2ClientTransport.Posix.Config.defaults
        clientConfig.http2.authority = Certificates.serverName
        let transport = try HTTP2ClientTransport.Posix(
            target: .unixDomainSocket(path: socketPath), transportSecurity: clientSecurity, config: clientConfig)
        let request = AftercareSystem.echoRequest
        return try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await server.serve() }
            _ = try await server.listeningAddress
            return try await withGRPCClient(transport: transport) { client in
                let say: @Sendable () async throws -> Void = {
                    try await client.unary(
                        request: ClientRequest(message: request), descriptor: GRPCSystem.say,
                        serializer: ProtobufSerializer<Aftercare_Echo_V1_EchoRequest>(),
                        deserializer: ProtobufDeserializer<Aftercare_Echo_V1_EchoResponse>(),
                        options: .defaults
                    ) { response in _ = try response.message }
                }
                let (latencies, mallocs) = try await measureSequential(plan, say)
                let throughput = try await measureThroughput(plan, say)
                client.beginGracefulShutdown()
                server.beginGracefulShutdown()
                return Measurement(latencies: latencies, callsPerSecond: throughput.callsPerSecond, cpuMicrosPerCall: throughput.cpuMicrosPerCall, mallocsPerCall: mallocs, responseBytes: 100)
            }
        }
    }
}
