import AftercareFeedback
import AftercareGateway
import AftercareNIO
import AftercarePayments
import AftercareSagas
import AftercareServiceKit
import AftercareServiceRuntime
import AftercareTesting
import Foundation
import Testing

/// The several-hosts drop-ins (`services/<name>/several-hosts.conf`) read, over the shipped YAML
/// files, into what the README's "Several hosts" promises: no Unix socket, the service's TCP port,
/// its own PostgreSQL database; the gateway named by its host and dialling every service over TCP,
/// payments' two hosts both; payments named by its host; feedback following aftersales over TCP.
@Suite("Several hosts: the sample drop-ins")
struct SeveralHostsSamplesTests {
    static let ports = ["gateway": 7100, "orders": 7101, "payments": 7102, "logistics": 7103, "aftersales": 7104, "feedback": 7105]

    /// The `Environment=` assignments of `service`'s drop-in, systemd's `%H` as `host`, and the
    /// password file's path replaced by `passwordFile` (the sample's does not exist here).
    static func environment(_ service: String, host: String, passwordFile: String) throws -> [String: String] {
        let text = try String(contentsOfFile: "\(RepositoryPaths.root)/services/\(service)/several-hosts.conf", encoding: .utf8)
        var environment: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("Environment=") {
            var assignment = String(line.dropFirst("Environment=".count))
            if assignment.hasPrefix("\""), assignment.hasSuffix("\"") { assignment = String(assignment.dropFirst().dropLast()) }
            let parts = assignment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            environment[String(parts[0])] = parts.count > 1 ? String(parts[1]).replacingOccurrences(of: "%H", with: host) : ""
        }
        #expect(environment["AFTERCARE_DATABASE_PASSWORD_FILE"] == "/etc/aftercare/\(service).dbpassword")
        environment["AFTERCARE_DATABASE_PASSWORD_FILE"] = passwordFile
        return environment
    }

    @Test("each service's drop-in over its YAML file: no socket, its TCP port, its own PostgreSQL database", arguments: Self.ports.keys.sorted())
    func service(_ service: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let passwordFile = directory.appending("password")
        try "secret\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        let config = try await ServiceConfiguration.load(
            arguments: ["aftercare-\(service)", "--config", "\(RepositoryPaths.root)/services/\(service)/\(service).yaml"],
            environment: try Self.environment(service, host: "gw-host-2", passwordFile: passwordFile))
        let settings = try ServiceSettings(name: service, config: config)
        #expect(settings.listen.socket == nil)
        #expect(settings.listen.tcpHost == "0.0.0.0" && settings.listen.tcpPort == Self.ports[service])
        let database = try #require(settings.databaseURL)
        #expect(database.database == "aftercare_\(service)" && database.user == "aftercare_\(service)")
        #expect(database.password == "secret")
        #expect(database.tls == .verifyFull)
        switch service {
        case "gateway":
            let gateway = try GatewaySettings(config: config)
            #expect(gateway.sagas.lease.owner == "gw-host-2")
            for (name, addresses) in gateway.peers {
                #expect(!addresses.isEmpty && addresses.allSatisfy { if case .tcp = $0 { true } else { false } }, "\(name): \(addresses)")
            }
            #expect(gateway.peers["payments"]?.count == 2)
        case "payments":
            #expect(try PaymentsSettings(config: config, databasePath: settings.databasePath).instance == "gw-host-2")
        case "feedback":
            let feedback = try FeedbackSettings(config: config)
            #expect(feedback.aftersales == .tcp(host: "aftersales.aftercare.internal", port: 7104))
        default:
            break
        }
    }
}
