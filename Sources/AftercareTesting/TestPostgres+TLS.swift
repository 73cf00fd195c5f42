import Synchronization
import Foundation

extension TestPostgres {
    /// A database on this process's second throw-away server, which takes TCP connections on
    /// 127.0.0.1 only with TLS (its certificate from the tests' development CA, named `localhost`)
    /// and a password (SCRAM); its Unix socket stays for the tests' own administration.
    package struct TLSDatabase: Sendable {
        /// The server's TCP port.
        package let port: Int
        /// The database's name.
        package let name: String
        /// The CA the server's certificate chains to.
        package let caFile: String
        /// The user's password.
        package let password: String

        /// `postgresql://aftercare@<host>:<port>/<name>?sslmode=<mode>`, with `sslrootcert` when given.
        package func url(host: String = "localhost", sslmode: String, rootCertificate: String? = nil) -> String {
            "postgresql://\(TestPostgres.user)@\(host):\(self.port)/\(self.name)?sslmode=\(sslmode)" + (rootCertificate.map { "&sslrootcert=\($0)" } ?? "")
        }
    }

    /// The password of the TLS server's user.
    static let tlsPassword = "pw-\(UInt64.random(in: 1...UInt64.max))"

    /// A new, empty database on the TLS server (started if it is not yet).
    package static func tlsDatabase() async throws -> TLSDatabase {
        let (server, caFile) = try await Self.tlsServer.value
        let name = "tls_\(Self.tlsDatabases.add(1, ordering: .relaxed).newValue)"
        try await server.run(sql: "CREATE DATABASE \(name)")
        return TLSDatabase(port: server.port, name: name, caFile: caFile, password: Self.tlsPassword)
    }

    private static let tlsDatabases = Atomic<Int>(0)

    /// The TLS server, started once per process, and its CA's file.
    private static let tlsServer = Task { () throws -> (Server, String) in
        let certificates = try await SharedCertificates.get()
        try await certificates.makeServerCertificate("postgres-localhost", dnsName: "localhost")
        let options = Options(
            port: try FreePort.next(),
            certificate: (certificates.certificateFile("postgres-localhost"), certificates.keyFile("postgres-localhost")),
            hostBasedAuthentication: "local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n",
            directoryPrefix: "ac-pgtls")
        let server = try await Server.start(options)
        try await server.run(sql: "ALTER USER \(Self.user) PASSWORD '\(Self.tlsPassword)'")
        return (server, certificates.caFile)
    }
}
