import AftercareEcho
import AftercareRPC
import AftercareTesting
import Testing

/// A caller's name comes from its certificate's first DNS subject alternative name only (WIRE.md §12).
@Suite("Certificate names")
struct CertificateNameTests {
    @Test("a client certificate without a DNS subject alternative name connects but gives no name principal, whatever its common name")
    func noAlternativeName() async throws {
        let gateway = DevelopmentCertificates.dnsName("gateway")
        try await TestSystem.run(on: .tcpMutualTLS, services: [EchoService(sayAllowed: ["name:\(gateway)"])]) { system in
            let certificates = try await SharedCertificates.get()
            // Its common name is the gateway's, which alone may call Say.
            let file = "cn-only-\(UInt32.random(in: 0...UInt32.max))"
            try await certificates.makeCertificateWithoutAlternativeName(file, commonName: gateway)
            try await system.withClient(as: file, certificates: certificates) { client in
                // Connected: the certificate chains to the CA.
                _ = try await client.unary(BuiltinMethods.health, .init())
                let error = await #expect(throws: RPCError.self) { try await client.unary(EchoService.say, Echo.say("x")) }
                #expect(error?.code == .permissionDenied)
                #expect(error?.outcome == .notExecuted)
                #expect(error?.message.contains("name:") == false)
            }
            // The gateway's own certificate still may.
            #expect(try await system.client.unary(EchoService.say, Echo.say("ok")).text == "ok")
        }
    }
}
