import AftercareGateway
import Testing

@Suite("Event router: a scenario through every feed")
struct RouterScenarioTests {
    @Test("each event reaches the right inboxes once, the right sagas are asked for, feedback learns deliveries and cases")
    func scenario() async throws {
        try await RouterHarness.run { harness in
            let inboxes = harness.inboxes()
            let cases = try await harness.withRouter(inboxes: inboxes) {
                let cases = try await RouterScenario(harness: harness).runAll()
                try await harness.caughtUp()
                return cases
            }
            try await RouterExpectations.checkInboxes(harness, inboxes, cases)
            try await RouterExpectations.checkSagaStarts(harness, cases)
            try await RouterExpectations.checkFeedback(harness, cases)
        }
    }
}
