@testable import AftercareGateway
import AftercareNIO
import AftercareServiceKit
import Configuration
import Testing

@Suite("Gateway settings")
struct GatewaySettingsTests {
    @Test("peer addresses: unix and tcp forms, defaults for the rest, anything else named")
    func peers() throws {
        let config = ConfigReader(provider: InMemoryProvider(values: [
            "gateway.peers.orders": "unix:/tmp/ac/orders.sock", "gateway.peers.payments": "tcp:10.0.0.7:7102",
        ]))
        let settings = try GatewaySettings(config: config)
        #expect(settings.peers["orders"] == .unix(path: "/tmp/ac/orders.sock"))
        #expect(settings.peers["payments"] == .tcp(host: "10.0.0.7", port: 7102))
        #expect(settings.peers["feedback"] == .unix(path: "/run/aftercare/feedback.sock"))
        #expect(Set(settings.peers.keys) == Set(GatewaySettings.peerNames))
        for bad in ["orders.sock", "tcp:host", "tcp:host:0", "tcp::80", "unix:"] {
            let error = #expect(throws: ServiceSettingsError.self) {
                try GatewaySettings(config: ConfigReader(provider: InMemoryProvider(values: ["gateway.peers.logistics": .init(stringLiteral: bad)])))
            }
            #expect(error?.key == "gateway.peers.logistics", "\(bad)")
        }
    }
}
