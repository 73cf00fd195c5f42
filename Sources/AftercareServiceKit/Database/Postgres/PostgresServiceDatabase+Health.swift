package import AftercareRPC

extension PostgresServiceDatabase {
    /// A read on a pooled connection that must succeed: the server's version and the database
    /// (without its password). While the server cannot be reached it fails with the storage fault.
    package var healthCheck: HealthCheck {
        HealthCheck(name: "database") { [self] in
            let version = try await self.snapshot { db in try db.queryValue("SHOW server_version", as: String.self) } ?? "?"
            return "postgresql \(version), \(self.target)"
        }
    }
}
