package import AftercareRPC

/// One row of a service's invalid-request table: its name, the status the call must get, what the
/// message must contain (the field, or the state), and the call, made with a `Client` against the
/// records the table runs on (`Fixture`).
package struct InvalidRequest<Client: Sendable, Fixture: Sendable>: Sendable, CustomStringConvertible {
    package var name: String
    package var code: RPCError.Code
    package var names: String
    package var call: @Sendable (Client, Fixture) async throws -> Void

    package init(name: String, code: RPCError.Code, names: String, call: @escaping @Sendable (Client, Fixture) async throws -> Void) {
        self.name = name
        self.code = code
        self.names = names
        self.call = call
    }

    /// The same, unlabelled, with the call as a trailing closure.
    package init(_ name: String, _ code: RPCError.Code, _ names: String, _ call: @escaping @Sendable (Client, Fixture) async throws -> Void) {
        self.init(name: name, code: code, names: names, call: call)
    }

    package var description: String { self.name }

    /// Makes the call and answers what is wrong with how it was refused — nothing, when the call
    /// failed with ``code``, its message names ``names``, and `dump` (every table of the service's
    /// database, as sorted lines) reads the same after as before.
    package func problems(_ client: Client, _ fixture: Fixture, dump: () async throws -> [String]) async throws -> [String] {
        let before = try await dump()
        var problems: [String] = []
        do {
            try await self.call(client, fixture)
            problems.append("answered, not refused")
        } catch let error as RPCError {
            if error.code != self.code { problems.append("status \(error.code), not \(self.code): \(error.message)") }
            if !error.message.contains(self.names) { problems.append("the message does not name \(self.names): \(error.message)") }
        }
        let after = try await dump()
        if after != before {
            problems.append("the database changed: \(Set(after).symmetricDifference(before).sorted().prefix(5))")
        }
        return problems
    }
}
