import AftercareAftersalesAPI
import AftercareFeedbackAPI
import AftercareGateway
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import Testing

/// What the router must have done once it caught up with the scenario of ``RouterScenario/runAll()``.
enum RouterExpectations {
    /// Types that are the services' internal bookkeeping: they reach no party's inbox.
    static func isInternal(_ type: String) -> Bool {
        type.hasPrefix("orders.reservation.") || type.hasPrefix("orders.stock.") || type == AftersalesEventTypes.sagaRequested
            || type.hasPrefix("feedback.case.")
    }

    /// Every inbox holds each of its events once, numbered 1…n; the buyer's and the seller's hold
    /// exactly the events naming them (but bookkeeping); the platform's exactly the escalation.
    static func checkInboxes(_ harness: RouterHarness, _ inboxes: Inboxes, _ cases: RouterScenario.Cases) async throws {
        let events = try await harness.allEvents()
        for (owner, party) in [(InboxOwner.buyer(RouterScenario.buyer), \Aftercare_Common_V1_Event.buyerID), (.seller(RouterScenario.seller), \.sellerID)] {
            let page = try await inboxes.list(owner, limit: 1_000)
            #expect(page.items.map(\.position) == Array(1...Int64(page.items.count)), "\(owner)")
            #expect(page.head == Int64(page.items.count))
            let expected = events.filter { $0[keyPath: party] == owner.key.split(separator: ":").last.map(String.init) && !self.isInternal($0.type) }
            #expect(page.items.map(\.eventID).sorted() == expected.map(\.eventID).sorted(), "\(owner)")
            #expect(page.items.allSatisfy { $0.readAtMicros == nil && !$0.summary.isEmpty })
        }
        let platform = try await inboxes.list(.platform, limit: 1_000).items
        #expect(platform.map(\.type) == [AftersalesEventTypes.changed])
        #expect(platform.map(\.subjects.caseID) == [cases.escalated])
        #expect(platform.first?.summary.contains("buyer.escalate") == true)
        #expect(platform.first?.position == 1)
    }

    /// The saga starters were asked for exactly Return setup of the approved case and Carrier
    /// progress of its return's pick-up (each event once, or `times` when delivered that often).
    static func checkSagaStarts(_ harness: RouterHarness, _ cases: RouterScenario.Cases, times: Int = 1) async throws {
        let events = try await harness.allEvents()
        let requested = events.filter { $0.type == AftersalesEventTypes.sagaRequested }
        #expect(requested.map(\.subjects.caseID) == [cases.approved])
        let pickUps = events.filter { event in
            event.type == LogisticsEventTypes.pickedUp && event.payload(as: Aftercare_Logistics_V1_ShipmentChanged.self)?.shipment.kind == .return
        }
        #expect(pickUps.count == 1)
        let expected = requested.map { "case Return setup@\($0.eventID)" } + pickUps.map { "carrier ret-1@\($0.eventID)" }
        #expect(harness.sagas.all.sorted() == expected.flatMap { Array(repeating: $0, count: times) }.sorted())
    }

    /// Feedback learned the delivery of both lines and each case's opening and closing per line.
    static func checkFeedback(_ harness: RouterHarness, _ cases: RouterScenario.Cases) async throws {
        let feedback = try await harness.feeds["feedback"]!.read(afterSeq: 0, limit: 1_000)
        let eligible = feedback.filter { $0.type == FeedbackEventTypes.eligible }.compactMap { $0.payload(as: Aftercare_Feedback_V1_ReviewChanged.self) }
        #expect(eligible.map(\.review.lineID).sorted() == cases.order.lines.map(\.lineID).sorted())
        let opened = feedback.filter { $0.type == FeedbackEventTypes.caseOpened }.compactMap { $0.payload(as: Aftercare_Feedback_V1_LineCaseChanged.self) }
        let closed = feedback.filter { $0.type == FeedbackEventTypes.caseClosed }.compactMap { $0.payload(as: Aftercare_Feedback_V1_LineCaseChanged.self) }
        let lines = cases.order.lines.map(\.lineID)
        #expect(
            opened.map { "\($0.caseID) \($0.lineID)" }.sorted()
                == ["\(cases.approved) \(lines[0])", "\(cases.escalated) \(lines[1])", "\(cases.closed) \(lines[0])", "\(cases.closed) \(lines[1])"].sorted())
        #expect(closed.map { "\($0.caseID) \($0.lineID)" }.sorted() == ["\(cases.closed) \(lines[0])", "\(cases.closed) \(lines[1])"].sorted())
    }
}
