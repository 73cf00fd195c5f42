import AftercareServiceKit
import AftercareTesting
import Logging
import Testing

/// What only the PostgreSQL driver has: its URL, a server it cannot reach, its retries.
@Suite("PostgreSQL driver")
struct PostgresDriverTests {
    @Test("database.url: TCP with sslmode and sslrootcert, or a Unix socket directory; the password only from its file")
    func location() throws {
        let tcp = try PostgresLocation(url: "postgresql://shop@db.internal:6432/aftercare?sslmode=verify-full&sslrootcert=/etc/ca.pem", password: "secret")
        #expect(tcp.endpoint == .tcp(host: "db.internal", port: 6432))
        #expect(tcp.user == "shop")
        #expect(tcp.database == "aftercare")
        #expect(tcp.tls == .verifyFull)
        #expect(tcp.rootCertificate == "/etc/ca.pem")
        #expect(tcp.password == "secret")
        #expect(tcp.description == "postgresql://shop@db.internal:6432/aftercare?sslmode=verify-full")
        let socket = try PostgresLocation(url: "postgresql://shop@/aftercare?host=/run/postgresql", password: nil)
        #expect(socket.endpoint == .socket(path: "/run/postgresql/.s.PGSQL.5432"))
        #expect(socket.tls == .disable)
        let defaults = try PostgresLocation(url: "postgres://shop@db/aftercare", password: nil)
        #expect(defaults.endpoint == .tcp(host: "db", port: 5432))
        #expect(defaults.tls == .prefer)
    }

    @Test(
        "a malformed database.url is refused, saying what is wrong",
        arguments: [
            ("mysql://shop@db/aftercare", "scheme"), ("postgresql://shop:secret@db/aftercare", "database.passwordFile"),
            ("postgresql://shop@db/", "names no database"), ("postgresql://shop@db:99999/aftercare", "port"),
            ("postgresql://shop@db/aftercare?sslmode=always", "sslmode"), ("postgresql://shop@db/aftercare?timeout=3", "timeout"),
            ("postgresql://shop@/aftercare?host=/run/postgresql&sslmode=require", "Unix socket"), ("postgresql:///aftercare", "names no host"),
        ])
    func malformedLocation(url: String, problem: String) {
        #expect {
            _ = try PostgresLocation(url: url, password: nil)
        } throws: { error in
            "\(error)".contains(problem)
        }
    }

    @Test("a server that cannot be reached is a storage fault (DATABASE_UNREACHABLE) at open, not a hang")
    func unreachable() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let location = try PostgresLocation(url: "postgresql://aftercare@/nothing?host=\(directory.path)", password: nil)
        do {
            let database = try await PostgresServiceDatabase.open(
                location, migrations: SQLMigrations(), reachableWithin: .seconds(2), logger: Logger.test("database"))
            await database.close()
            Issue.record("opened a database with no server")
        } catch let fault as StorageFault {
            #expect(fault.cause == .unreachable)
            #expect(fault.path == "postgresql://aftercare@/nothing?host=\(directory.path)")
        }
    }
}
