import AftercareServiceKit
import AftercareServiceRuntime
import AftercareTesting
import Configuration
import Foundation
import Logging
import Testing

/// Settings come from a YAML file, then the environment, then flags (each overriding the one
/// before), and a missing or invalid one stops start-up naming it.
@Suite("Service settings")
struct ServiceSettingsTests {
    static let file = """
        listen:
          socket: /run/aftercare/orders.sock
        tls:
          cert: /etc/certs/orders.pem
          key: /etc/certs/orders.key
          ca: /etc/certs/ca.pem
        database:
          path: /var/lib/aftercare/orders.sqlite
        log:
          level: warning
        access:
          callers:
            - name:gateway.aftercare.internal
          methods:
            - aftercare.orders.v1.Orders/GetOrder=name:gateway.aftercare.internal,name:cli.aftercare.internal
        spans:
          maxAgeHours: 24
        testMode: true
        """

    static func settings(file: String? = Self.file, environment: [String: String] = [:], flags: [String] = []) async throws -> ServiceSettings {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var arguments = ["aftercare-orders"]
        if let file {
            let path = directory.appending("orders.yaml")
            try file.write(toFile: path, atomically: true, encoding: .utf8)
            arguments += ["--config", path]
        }
        let config = try await ServiceConfiguration.load(arguments: arguments + flags, environment: environment)
        return try ServiceSettings(name: "orders", config: config)
    }

    @Test("the file alone")
    func file() async throws {
        let settings = try await Self.settings()
        #expect(settings.listen.socket == "/run/aftercare/orders.sock")
        #expect(settings.tls?.caFile == "/etc/certs/ca.pem")
        #expect(settings.databasePath == "/var/lib/aftercare/orders.sqlite")
        #expect(settings.logLevel == .warning)
        #expect(settings.access.callers == ["name:gateway.aftercare.internal"])
        #expect(settings.access.methods["aftercare.orders.v1.Orders/GetOrder"] == ["name:gateway.aftercare.internal", "name:cli.aftercare.internal"])
        #expect(settings.spans.maxAgeHours == 24)
        #expect(settings.spans.maxCount == 200_000)
        #expect(settings.testMode)
        #expect(settings.executableName == "aftercare-orders")
    }

    @Test("the environment overrides the file, flags override both")
    func precedence() async throws {
        let environment = ["AFTERCARE_DATABASE_PATH": "/env.sqlite", "AFTERCARE_LOG_LEVEL": "debug", "AFTERCARE_SPANS_MAX_COUNT": "10"]
        let fromEnvironment = try await Self.settings(environment: environment)
        #expect(fromEnvironment.databasePath == "/env.sqlite")
        #expect(fromEnvironment.logLevel == .debug)
        #expect(fromEnvironment.spans.maxCount == 10)
        let fromFlags = try await Self.settings(environment: environment, flags: ["--database-path", "/flag.sqlite", "--listen-tcp", "127.0.0.1:7101"])
        #expect(fromFlags.databasePath == "/flag.sqlite")
        #expect(fromFlags.logLevel == .debug)
        #expect(fromFlags.listen.tcpHost == "127.0.0.1")
        #expect(fromFlags.listen.tcpPort == 7101)
    }

    @Test(
        "a missing or invalid setting is named",
        arguments: [
            (["--database-path", ""], "database.path"),
            (["--log-level", "loud"], "log.level"),
            (["--listen-tcp", "7101"], "listen.tcp"),
            (["--spans-max-age-hours", "-3"], "spans.maxAgeHours"),
            (["--test-mode", "maybe"], "testMode"),
            (["--listen-socket", "/" + String(repeating: "s", count: 120)], "listen.socket"),
            (["--access-uids", "root"], "access.uids"),
        ])
    func invalid(flags: [String], key: String) async throws {
        let error = await #expect(throws: ServiceSettingsError.self) { _ = try await Self.settings(flags: flags) }
        #expect(error?.key == key)
    }

    @Test("database.url: a malformed URL and an unreadable password file are named; a well-formed URL is read, password and all")
    func postgres() async throws {
        let malformed = await #expect(throws: ServiceSettingsError.self) { _ = try await Self.settings(flags: ["--database-url", "mysql://db/orders"]) }
        #expect(malformed?.key == "database.url")
        #expect(malformed?.problem.contains("scheme") == true)
        let password = await #expect(throws: ServiceSettingsError.self) {
            _ = try await Self.settings(flags: ["--database-url", "postgresql://orders@db/orders", "--database-password-file", "/nonexistent/password"])
        }
        #expect(password?.key == "database.passwordFile")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.appending("password")
        try "s3cret\n".write(toFile: file, atomically: true, encoding: .utf8)
        let settings = try await Self.settings(flags: ["--database-url", "postgresql://orders@db:5433/orders", "--database-password-file", file])
        #expect(settings.databaseURL == (try PostgresLocation(url: "postgresql://orders@db:5433/orders", password: "s3cret")))
        #expect(try await Self.settings(flags: []).databaseURL == nil)
    }

    @Test("no listen address at all, and TLS halves, are named")
    func incomplete() async throws {
        let listen = await #expect(throws: ServiceSettingsError.self) {
            _ = try await Self.settings(file: nil, flags: ["--database-path", "/x.sqlite"])
        }
        #expect(listen?.key == "listen.socket")
        let tls = await #expect(throws: ServiceSettingsError.self) {
            _ = try await Self.settings(file: nil, flags: ["--database-path", "/x.sqlite", "--listen-socket", "/tmp/x.sock", "--tls-cert", "/c.pem"])
        }
        #expect(tls?.key == "tls.key")
        let missingFile = await #expect(throws: ServiceSettingsError.self) {
            _ = try await ServiceConfiguration.load(arguments: ["x", "--config", "/nonexistent/orders.yaml"], environment: [:])
        }
        #expect(missingFile?.key == "config")
    }

    @Test("the executable stops with status 78 and names the setting")
    func executableRefusesBadConfiguration() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "\(RepositoryPaths.buildProducts)/aftercare-orders")
        process.arguments = ["--listen-socket", "/tmp/never.sock"]
        process.environment = [:]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 78)
        #expect(message.contains("database.path"))
    }
}
