import AftercareRPC
import Foundation

/// Makes one ``RequestCase``'s call and judges the answer.
enum RequestRunner {
    /// The answer ("<status> <outcome>"), and nil when it is what the case expects, otherwise what it got.
    static func run(_ testCase: RequestCase, world: GatewayWorld, fixtures: BadInputFixtures) async throws -> (answer: String, wrong: String?) {
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
            return ("OK", "OK: the call succeeded")
        } catch let error as RPCError {
            let outcome = error.outcome.map { "\($0)" } ?? "no outcome"
            let answer = "\(error.code) \(outcome)"
            let got = "\(error.code) (\(outcome)) \"\(error.message.prefix(400))\""
            guard error.code == testCase.code else { return (answer, got) }
            guard error.message.contains(testCase.naming) else { return (answer, "\(got): does not name \"\(testCase.naming)\"") }
            if let expected = testCase.outcome, error.outcome != expected { return (answer, "\(got): outcome is not \(expected)") }
            return (answer, nil)
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
