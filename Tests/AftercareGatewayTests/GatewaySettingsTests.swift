import AftercareFaults
@testable import AftercareGateway
import AftercareNIO
import AftercareRPC
import AftercareSagas
import AftercareServiceKit
import AftercareServiceRuntime
import AftercareTesting
import Configuration
import Foundation
import Testing

@Suite("Gateway settings")
struct GatewaySettingsTests {
    @Test("peer addresses: unix and tcp forms, defaults for the rest, anything else named")
    func peers() throws {
        let config = ConfigReader(provider: InMemoryProvider(values: [
            "gateway.peers.orders": "unix:/tmp/ac/orders.sock", "gateway.peers.payments": "tcp:10.0.0.7:7102",
        ]))
        let settings = try GatewaySettings(config: config)
        #expect(settings.peers["orders"] == [.unix(path: "/tmp/ac/orders.sock")])
        #expect(settings.peers["payments"] == [.tcp(host: "10.0.0.7", port: 7102)])
        #expect(settings.peers["feedback"] == [.unix(path: "/run/aftercare/feedback.sock")])
        #expect(Set(settings.peers.keys) == Set(GatewaySettings.peerNames))
        for bad in ["orders.sock", "tcp:host", "tcp:host:0", "tcp::80", "unix:"] {
            let error = #expect(throws: ServiceSettingsError.self) {
                try GatewaySettings(config: ConfigReader(provider: InMemoryProvider(values: ["gateway.peers.logistics": .init(stringLiteral: bad)])))
            }
            #expect(error?.key == "gateway.peers.logistics", "\(bad)")
        }
    }

    @Test("several instances of a peer: a list of addresses, in order; an empty list, a bad entry or one listed twice is named")
    func severalInstances() throws {
        let list = { (addresses: [String]) in ConfigValue(.stringArray(addresses), isSecret: false) }
        let settings = try GatewaySettings(config: ConfigReader(provider: InMemoryProvider(values: [
            "gateway.peers.payments": list(["unix:/run/aftercare/payments-1.sock", "unix:/run/aftercare/payments-2.sock", "tcp:10.0.0.8:7102"]),
            "gateway.peers.orders": list(["unix:/run/aftercare/orders.sock"]),
        ])))
        #expect(settings.peers["payments"] == [
            .unix(path: "/run/aftercare/payments-1.sock"), .unix(path: "/run/aftercare/payments-2.sock"), .tcp(host: "10.0.0.8", port: 7102),
        ])
        #expect(settings.peers["orders"] == [.unix(path: "/run/aftercare/orders.sock")])
        #expect(settings.peers["logistics"] == [.unix(path: "/run/aftercare/logistics.sock")])
        for (bad, problem) in [
            ([String](), "empty list"), (["unix:/a.sock", "payments.sock"], "payments.sock"), (["unix:/a.sock", "tcp:host"], "tcp:host"),
            (["unix:/a.sock", "unix:/a.sock"], "listed twice"),
        ] {
            let error = #expect(throws: ServiceSettingsError.self) {
                try GatewaySettings(config: ConfigReader(provider: InMemoryProvider(values: ["gateway.peers.payments": list(bad)])))
            }
            #expect(error?.key == "gateway.peers.payments", "\(bad)")
            #expect(error.map { "\($0)" }?.contains(problem) == true, "\(bad): \(error.map { "\($0)" } ?? "")")
        }
        // Each client spreads over its peer's instances.
        let clients = settings.clients(certificateFile: "/c.pem", keyFile: "/c.key", caFile: "/ca.pem", faults: FaultInjector(), logger: .test("peers"))
        #expect(clients["payments"]?.targets.count == 3)
        #expect(clients["orders"]?.targets.count == 1)
    }
}

@Suite("Gateway roles")
struct GatewayRolesTests {
    @Test("roles: the development names by default, a configured role replaces its default, a principal has one role, a bad principal is named")
    func roles() throws {
        let defaults = try GatewaySettings(config: ConfigReader(provider: InMemoryProvider(values: [:])))
        #expect(defaults.roles == .defaults)
        #expect(defaults.roles.role(of: PeerIdentity(certificateName: "cli.aftercare.internal")) == .operator)
        #expect(defaults.roles.role(of: PeerIdentity(certificateName: "intruder.aftercare.internal")) == nil)

        let configured = try GatewaySettings(config: ConfigReader(provider: InMemoryProvider(values: [
            "gateway.roles.buyer_app": .init(.stringArray(["name:shop.example", "uid:1001"]), isSecret: false),
            "gateway.reconcile.intervalSeconds": "60", "gateway.sagas.callTimeoutMs": "300", "gateway.sagas.attempts": "2",
        ])))
        #expect(configured.sagas.retry.callTimeout == .milliseconds(300) && configured.sagas.untilDone.callTimeout == .milliseconds(300))
        #expect(configured.sagas.retry.maxAttempts == 2 && configured.sagas.untilDone.maxAttempts == GatewaySagas.Configuration.defaults.untilDone.maxAttempts)
        #expect(defaults.sagas == .defaults)
        #expect(configured.roles.role(of: PeerIdentity(certificateName: "shop.example")) == .buyerApp)
        #expect(configured.roles.role(of: PeerIdentity(uid: 1001)) == .buyerApp)
        #expect(configured.roles.role(of: PeerIdentity(certificateName: "buyer-app.aftercare.internal")) == nil)
        #expect(configured.roles.role(of: PeerIdentity(certificateName: "seller-app.aftercare.internal")) == .sellerApp)
        #expect(configured.reconcileInterval == .seconds(60))

        for (values, key) in [
            (["gateway.roles.support": ConfigValue(.stringArray(["support-desk"]), isSecret: false)], "gateway.roles.support"),
            (["gateway.roles.operator": ConfigValue(.stringArray(["name:support.aftercare.internal"]), isSecret: false)], "gateway.roles.operator"),
            (["gateway.reconcile.intervalSeconds": "0"], "gateway.reconcile.intervalSeconds"),
            (["gateway.sagas.attempts": "none"], "gateway.sagas.attempts"),
        ] {
            let provider = InMemoryProvider(values: Dictionary(uniqueKeysWithValues: values.map { (AbsoluteConfigKey(stringLiteral: $0.key), $0.value) }))
            let error = #expect(throws: ServiceSettingsError.self) { try GatewaySettings(config: ConfigReader(provider: provider)) }
            #expect(error?.key == key)
        }
    }
}

@Suite("The gateway's default configuration file")
struct GatewayConfigurationFileTests {
    @Test("the saga lease: gateway and 30 s by default; an instance name and a length as configured; a bad one named")
    func sagaLease() throws {
        let defaults = try GatewaySettings(config: ConfigReader(provider: InMemoryProvider(values: [:])))
        #expect(defaults.sagas.lease == SagaLease(owner: "gateway", duration: .seconds(30)))
        let configured = try GatewaySettings(config: ConfigReader(provider: InMemoryProvider(values: [
            "gateway.instance": "gateway-b.host-2", "gateway.sagas.leaseSeconds": "12",
        ])))
        #expect(configured.sagas.lease == SagaLease(owner: "gateway-b.host-2", duration: .seconds(12)))
        for (key, value) in [("gateway.instance", ""), ("gateway.instance", "two words"), ("gateway.sagas.leaseSeconds", "2")] {
            let error = #expect(throws: ServiceSettingsError.self) {
                try GatewaySettings(config: ConfigReader(provider: InMemoryProvider(values: [AbsoluteConfigKey(stringLiteral: key): .init(stringLiteral: value)])))
            }
            #expect(error?.key == key, "\(key)=\(value)")
        }
    }

    @Test("services/gateway/gateway.yaml reads into the defaults it documents")
    func shippedFile() async throws {
        let config = try await ServiceConfiguration.load(
            arguments: ["aftercare-gateway", "--config", "\(RepositoryPaths.root)/services/gateway/gateway.yaml"], environment: [:])
        let settings = try GatewaySettings(config: config)
        #expect(settings.peers["payments"] == [.unix(path: "/run/aftercare/payments.sock")])
        #expect(settings.roles == .defaults)
        #expect(settings.reconcileInterval == .seconds(300))
        #expect(settings.sagas == .defaults)
    }
}

@Suite("The gateway's peer list at start")
struct GatewayPeerListStartTests {
    @Test("aftercare-gateway exits 78 naming gateway.peers.payments for a bad address in its list, and for an empty list")
    func refused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bad = try await ServiceProcess.refusedStart(
            "gateway", in: directory,
            arguments: ["--gateway-peers-payments", "unix:" + directory.appending("payments.sock"), "--gateway-peers-payments", "payments-2.sock"])
        #expect(bad.ending == .exited(ServiceMain.configurationExitCode))
        #expect(bad.log.contains("gateway.peers.payments: expected unix:<path> or tcp:<host>:<port>, got \"payments-2.sock\""), "\(bad.log)")

        let file = directory.appending("gateway.yaml")
        try "gateway:\n  peers:\n    payments: []\n".write(toFile: file, atomically: true, encoding: .utf8)
        let empty = try await ServiceProcess.refusedStart("gateway", in: directory, arguments: ["--config", file])
        #expect(empty.ending == .exited(ServiceMain.configurationExitCode))
        #expect(empty.log.contains("gateway.peers.payments: an empty list"), "\(empty.log)")
    }
}
