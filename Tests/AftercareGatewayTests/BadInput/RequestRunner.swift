import AftercareRPC
import Foundation

/// Makes one ``RequestCase``'s call and judges the answer.
enum RequestRunner {
    /// nil when the call was answered as the case expects; otherwise what it got.
    static func run(_ testCase: RequestCase, world: GatewayWorld, fixtures: BadInputFixtures) async throws -> String? {
        guard let method = AnyMethod.all[testCase.method] else { throw BadInputError("no method \(testCase.method)") }
        guard let client = world.clients[testCase.who.client] else { throw BadInputError("no client \(testCase.who.client)") }
        let key: String? =
            switch testCase.key {
            case .fresh: "bad-input-\(UUID().uuidString)"
            case .none: nil
            case .fixed(let key): key
            }
        let options = CallOptions(timeout: .seconds(10), idempotencyKey: key, actor: try testCase.who.actor.map(fixtures.expand))
        do {
            try await method.call(client, try fixtures.expand(testCase.json), options)
            return "OK: the call succeeded"
        } catch let error as RPCError {
            let got = "\(error.code) (\(error.outcome.map { "\($0)" } ?? "no outcome")) \"\(error.message.prefix(400))\""
            guard error.code == testCase.code else { return got }
            guard error.message.contains(testCase.naming) else { return "\(got): does not name \"\(testCase.naming)\"" }
            if let outcome = testCase.outcome, error.outcome != outcome { return "\(got): outcome is not \(outcome)" }
            return nil
        }
    }

    /// The case as its line reads, for the report.
    static func describe(_ testCase: RequestCase) -> String {
        let key =
            switch testCase.key {
            case .fresh: ""
            case .none: " without a key"
            case .fixed(let key): " with key \(key)"
            }
        return "\(testCase.file):\(testCase.line) \(testCase.method) by \(testCase.who)\(key), expected \(testCase.code) naming \"\(testCase.naming)\""
            + (testCase.outcome.map { " (\($0))" } ?? "")
    }
}
