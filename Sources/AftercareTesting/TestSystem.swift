import AftercareEcho
package import AftercareRPC
package import Logging

/// One call starts a server on a transport and a client connected to it, runs a test body, and
/// shuts both down gracefully.
package struct TestSystem: Sendable {
    package let transport: TestTransport
    package let server: RPCServer
    package let endpoint: ServerEndpoint
    /// A running client, connecting as `gateway` (its certificate with mutual TLS).
    package let client: RPCClient
    package let directory: TemporaryDirectory
    package let serverName: String
    package let logger: Logger

    /// Starts `services` (default: the echo service) on `transport` and runs `body`.
    package static func run<Result: Sendable>(
        on transport: TestTransport,
        services: [any RPCService] = [EchoService()],
        configuration: RPCServer.Configuration = .init(name: "aftercare-echo"),
        spanStore: any SpanStore = InMemorySpanStore(),
        serverName: String = "echo",
        clientConfiguration: RPCClient.Configuration = .init(name: "test-client"),
        _ body: @Sendable (TestSystem) async throws -> Result
    ) async throws -> Result {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let logger = Logger.test("aftercare-test")
        let endpoint = try await transport.makeServer(in: directory, serverName: serverName, logger: logger)
        let server = RPCServer(
            transports: [endpoint.transport], services: services, configuration: configuration, spanStore: spanStore, logger: logger)
        let client = RPCClient(
            transport: try await endpoint.clientTransport(transport, clientName: "gateway", serverName: serverName),
            configuration: clientConfiguration,
            logger: logger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            group.addTask { try await client.run() }
            let system = TestSystem(
                transport: transport, server: server, endpoint: endpoint, client: client, directory: directory, serverName: serverName,
                logger: logger)
            do {
                let result = try await body(system)
                client.beginGracefulShutdown()
                server.beginGracefulShutdown()
                try await group.waitForAll()
                return result
            } catch {
                client.beginGracefulShutdown()
                server.beginGracefulShutdown()
                group.cancelAll()
                throw error
            }
        }
    }

    /// Runs `body` with another client of the same server, connecting as `clientName`, its
    /// transport passed through `wrap` (to inject faults, say).
    package func withClient<Result: Sendable>(
        as clientName: String,
        configuration: RPCClient.Configuration = .init(name: "test-client"),
        certificates: DevelopmentCertificates? = nil,
        serverName: String? = nil,
        wrap: @Sendable (any ClientTransport) -> any ClientTransport = { $0 },
        _ body: @Sendable (RPCClient) async throws -> Result
    ) async throws -> Result {
        let client = RPCClient(
            transport: wrap(try await self.endpoint.clientTransport(
                self.transport, clientName: clientName, serverName: serverName ?? self.serverName, certificates: certificates)),
            configuration: configuration,
            logger: self.logger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            defer { client.beginGracefulShutdown() }
            return try await body(client)
        }
    }
}
