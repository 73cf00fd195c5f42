import AftercareEcho
import AftercareNIO
import AftercareRPC
import AftercareTesting
import Foundation
import Testing

/// Connections that must not be made: the wrong CA, no client certificate, the wrong server name,
/// a Unix peer whose uid is not allowed.
@Suite("Refused connections")
struct TLSRefusalTests {
    /// Makes a call with `client` and returns how it failed.
    private static func failure(_ client: RPCClient) async -> RPCError? {
        await #expect(throws: RPCError.self) {
            try await client.unary(EchoService.say, Echo.say("x"), options: .init(timeout: .seconds(10)))
        }
    }

    @Test("a client certificate from another CA is refused", arguments: [TestTransport.unixMutualTLS, .tcpMutualTLS])
    func otherCA(_ transport: TestTransport) async throws {
        try await TestSystem.run(on: transport) { system in
            let intruder = try await SharedCertificates.otherCA()
            let error = try await system.withClient(as: "echo", certificates: intruder) { await Self.failure($0) }
            #expect(error?.code == .unavailable)
            #expect(error?.outcome == .notExecuted)
            // The server still serves legitimate clients.
            _ = try await system.client.unary(EchoService.say, Echo.say("ok"))
        }
    }

    @Test("a client without a certificate is refused by a mutual-TLS server", arguments: [TestTransport.unixMutualTLS, .tcpMutualTLS])
    func noClientCertificate(_ transport: TestTransport) async throws {
        try await TestSystem.run(on: transport) { system in
            let certificates = try await SharedCertificates.get()
            let address = try #require(system.endpoint.address)
            let anonymous = NIOClientTransport(
                address: address, tls: ClientTLS(trustRootsFile: certificates.caFile, serverName: "echo.aftercare.internal"))
            let client = RPCClient(transport: anonymous, configuration: .init(name: "anonymous"), logger: system.logger)
            let error = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await client.run() }
                let error = await Self.failure(client)
                client.beginGracefulShutdown()
                try await group.waitForAll()
                return error
            }
            #expect(error?.code == .unavailable)
            #expect(error?.outcome == .notExecuted)
        }
    }

    @Test("a server whose certificate does not carry the expected name is refused", arguments: [TestTransport.unixTLS, .tcpMutualTLS])
    func wrongServerName(_ transport: TestTransport) async throws {
        try await TestSystem.run(on: transport) { system in
            let error = try await system.withClient(as: "gateway", serverName: "payments") { await Self.failure($0) }
            #expect(error?.code == .unavailable)
            #expect(error?.outcome == .notExecuted)
            #expect(error?.message.lowercased().contains("certificate") == true || error?.message.lowercased().contains("handshake") == true)
        }
    }

    @Test("a Unix peer whose uid is not allowed is refused at connect, saying why")
    func peerUIDNotAllowed() async throws {
        try await TestSystem.run(on: .unix, configuration: .init(name: "aftercare-echo", allowedPeerUIDs: [getuid() &+ 4242])) { system in
            let error = await Self.failure(system.client)
            #expect(error?.code == .unavailable)
            #expect(error?.outcome == .notExecuted)
            #expect(error?.message.contains("PEER_NOT_ALLOWED: uid \(getuid()) may not connect to aftercare-echo") == true)
        }
    }

    @Test("a Unix peer whose uid is allowed is served")
    func peerUIDAllowed() async throws {
        try await TestSystem.run(on: .unix, configuration: .init(name: "aftercare-echo", allowedPeerUIDs: [getuid()])) { system in
            let response = try await system.client.unary(EchoService.say, Echo.say("me"))
            #expect(response.text == "me")
        }
    }
}

/// Unix peer credentials as principals in per-method allow-lists.
@Suite("Unix peer credentials in allow-lists")
struct PeerCredentialAllowListTests {
    @Test("a method allowed to another uid is denied; allowed to ours, served")
    func uidAllowList() async throws {
        let say = "aftercare.echo.v1.Echo/Say"
        let other = RPCServer.Configuration(name: "aftercare-echo", methodAllowLists: [say: ["uid:\(getuid() &+ 4242)"]])
        try await TestSystem.run(on: .unix, configuration: other) { system in
            let error = await #expect(throws: RPCError.self) { try await system.client.unary(EchoService.say, Echo.say("x")) }
            #expect(error?.code == .permissionDenied)
            #expect(error?.outcome == .notExecuted)
        }
        let mine = RPCServer.Configuration(name: "aftercare-echo", methodAllowLists: [say: ["uid:\(getuid())"]])
        try await TestSystem.run(on: .unix, configuration: mine) { system in
            let response = try await system.client.unary(EchoService.say, Echo.say("me"))
            #expect(response.text == "me")
        }
    }
}
