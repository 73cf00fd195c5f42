import AftercareServiceKit
import AftercareTesting

extension GatewayWorld {
    /// What a world's processes are and how each is started: the instances of every service and
    /// of the gateway, where each listens, each service's database (its SQLite file in the world's
    /// directory, or a PostgreSQL database of its own), and the flags the test gave each service.
    /// A process started again (``GatewayWorld/start(_:arguments:)``) gets the same flags the world
    /// gave it first: the same database, the same peers, the same instance name.
    struct Layout: Sendable {
        let directory: TemporaryDirectory
        /// Where each process listens, by process name (`gateway-b`, `payments-2` included).
        let listening: [String: ServiceProcess.Listening]
        /// The process names of each service (and of the gateway), the service's own name first.
        let instances: [String: [String]]
        /// Each service's PostgreSQL database, by service name (every instance of a service on the
        /// same one); empty when the world runs on SQLite.
        let databases: [String: PostgresLocation]
        /// The test's flags, by service name.
        let launchArguments: [String: [String]]

        /// The name `--gateway-instance` gives the first gateway when there are two.
        static let firstGatewayInstance = "gateway-a"

        /// The service process `name` is an instance of: `payments` for `payments-2`.
        func service(of name: String) -> String {
            self.instances.first { $0.value.contains(name) }?.key ?? name
        }

        /// The flags the world gives process `name`, before the test's: its database, its peers,
        /// and what it shares with the other instances of its service.
        func worldArguments(_ name: String) -> [String] {
            let service = self.service(of: name)
            var arguments: [String] = []
            if let database = self.databases[service] { arguments += ["--database-url", "\(database)"] }
            let several = (self.instances[service]?.count ?? 1) > 1
            if service == "gateway" {
                arguments += GatewayWorld.peerArguments(self.directory, self.listening, self.instances)
                if several { arguments += ["--gateway-instance", name == service ? Self.firstGatewayInstance : name] }
            } else {
                if several { arguments += ["--database-shared", "true"] }
                // Each payments process under a name of its own, kept across restarts: started
                // again, it takes back the in-flight leases it died holding.
                if service == "payments" { arguments += ["--payments-instance", name] }
                arguments += GatewayWorld.followArguments(service, self.listening)
            }
            return arguments
        }

        /// Starts process `name` with the world's flags and `arguments`.
        func start(_ name: String, arguments: [String]) async throws -> ServiceProcess {
            let service = self.service(of: name)
            return try await ServiceProcess.start(
                service, in: self.directory, arguments: self.worldArguments(name) + arguments, listening: self.listening[name] ?? .unixSocket,
                instance: name == service ? nil : name)
        }

        /// Starts process `name` as it was first started (with the test's flags for its service).
        func launch(_ name: String) async throws -> ServiceProcess {
            try await self.start(name, arguments: self.launchArguments[self.service(of: name)] ?? [])
        }
    }
}
