import AftercareTesting
import Foundation

/// The `aftercare` CLI of the debug build, run against a ``GatewayWorld``'s gateway with the
/// operator certificate: its exit status, standard output and standard error.
struct CLIProcess {
    let socket: String
    let certificates: DevelopmentCertificates

    init(_ world: GatewayWorld) async throws {
        self.socket = world.process("gateway").socketPath
        self.certificates = try await SharedCertificates.get()
    }

    struct Result {
        var status: Int32
        var output: String
        var errors: String

        /// The output parsed as one JSON object.
        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: Data(self.output.utf8)) as? [String: Any] else {
                throw TestKitError("not a JSON object: \(self.output.prefix(200))")
            }
            return object
        }

        /// Each line of the output parsed as a JSON object (`saga watch --json`).
        func jsonLines() throws -> [[String: Any]] {
            try self.output.split(separator: "\n").map { line in
                guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { throw TestKitError("not a JSON object: \(line.prefix(200))") }
                return object
            }
        }
    }

    /// Runs `aftercare <arguments>` with the connection flags; waits for it to exit.
    func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Result {
        let connection = [
            "--gateway", "unix:\(self.socket)", "--ca", self.certificates.caFile, "--cert", self.certificates.certificateFile("cli"),
            "--key", self.certificates.keyFile("cli"), "--operator", "cli_test",
        ]
        let finished = try await FinishedProcess.run("\(RepositoryPaths.buildProducts)/aftercare", arguments + connection, environment: environment)
        return Result(status: finished.status, output: String(decoding: finished.output, as: UTF8.self), errors: finished.errors)
    }

    /// `aftercare <arguments> --json`, which must exit 0 (or `status`), parsed.
    func json(_ arguments: [String], status: Int32 = 0) async throws -> [String: Any] {
        let result = try await self.run(arguments + ["--json"])
        guard result.status == status else {
            throw TestKitError("aftercare \(arguments.joined(separator: " ")) exited \(result.status), not \(status): \(result.errors) \(result.output.prefix(300))")
        }
        return try result.json()
    }
}

/// Reading parsed JSON without ceremony: `json["saga", "state"]`.
extension Dictionary where Key == String, Value == Any {
    subscript(path: String...) -> Any? {
        var current: Any? = self
        for key in path { current = (current as? [String: Any])?[key] }
        return current
    }

    func string(_ path: String...) -> String {
        var current: Any? = self
        for key in path { current = (current as? [String: Any])?[key] }
        return current as? String ?? ""
    }

    func list(_ key: String) -> [[String: Any]] {
        self[key] as? [[String: Any]] ?? []
    }
}
