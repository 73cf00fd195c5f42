import AftercareServiceKit
import AftercareServiceRuntime
import AftercareTesting
import Foundation
import Logging
import Testing

/// `database.url` with TLS and a password against a real server that takes TCP only with TLS and
/// SCRAM: what the URL asks for is what the connection does, and a mistake in it stops the open
/// with an error that names the cause, quickly.
@Suite("PostgreSQL over TLS")
struct PostgresTLSTests {
    static func open(_ url: String, password: String?) async throws -> PostgresServiceDatabase {
        try await PostgresServiceDatabase.open(
            try PostgresLocation(url: url, password: password), migrations: SQLMigrations(), connections: 2, reachableWithin: .seconds(5),
            logger: Logger.test("database"))
    }

    @Test("verify-full with the CA and the password: the connection is encrypted; verify-ca to the address the certificate does not name, too")
    func encrypted() async throws {
        let server = try await TestPostgres.tlsDatabase()
        for url in [server.url(sslmode: "verify-full", rootCertificate: server.caFile), server.url(host: "127.0.0.1", sslmode: "verify-ca", rootCertificate: server.caFile)] {
            let database = try await Self.open(url, password: server.password)
            let encrypted = try await database.snapshot { db in
                try db.queryValue("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", as: Bool.self)
            }
            await database.close()
            #expect(encrypted == true, "\(url)")
        }
    }

    @Test("a mistake refused at open, fast, naming it: another CA, a host the certificate does not name, no TLS, a wrong password")
    func refused() async throws {
        let server = try await TestPostgres.tlsDatabase()
        let other = try await SharedCertificates.otherCA()
        let cases: [(String, String, String)] = [
            (server.url(sslmode: "verify-full", rootCertificate: other.caFile), server.password, "certificate"),
            (server.url(host: "127.0.0.1", sslmode: "verify-full", rootCertificate: server.caFile), server.password, "certificate"),
            (server.url(sslmode: "disable"), server.password, "pg_hba"),
            (server.url(sslmode: "verify-full", rootCertificate: server.caFile), "not-the-password", "password"),
        ]
        for (url, password, cause) in cases {
            let started = ContinuousClock.now
            let error = await #expect(throws: (any Error).self) { _ = try await Self.open(url, password: password) }
            #expect("\(error.map { "\($0)" } ?? "")".lowercased().contains(cause), "\(url): \(String(describing: error))")
            #expect(ContinuousClock.now - started < .seconds(5), "\(url): refused before the 5 s the open waits for a server")
        }
    }

    @Test("orders started with a password the database refuses exits 78 naming database.passwordFile; with a CA it does not trust, naming database.url")
    func serviceStops() async throws {
        let server = try await TestPostgres.tlsDatabase()
        let other = try await SharedCertificates.otherCA()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let wrong = directory.appending("wrong-password")
        try "not-the-password\n".write(toFile: wrong, atomically: true, encoding: .utf8)
        let right = directory.appending("password")
        try "\(server.password)\n".write(toFile: right, atomically: true, encoding: .utf8)
        for (url, passwordFile, key) in [
            (server.url(sslmode: "verify-full", rootCertificate: server.caFile), wrong, "database.passwordFile"),
            (server.url(sslmode: "verify-full", rootCertificate: other.caFile), right, "database.url"),
        ] {
            let refused = try await ServiceProcess.refusedStart(
                "orders", in: directory, arguments: ["--database-url", url, "--database-password-file", passwordFile])
            #expect(refused.ending == .exited(ServiceMain.configurationExitCode), "\(refused.log)")
            #expect(refused.log.contains("\(key): "), "\(refused.log)")
        }
    }
}
