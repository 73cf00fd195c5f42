@testable import AftercareGateway
import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercareRPC
import AftercareTesting
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// The rest of the public and operator API over the six executables — evidence that sends a
    /// case back to review with fresh facts, the buyer's own return tracking and a carrier's
    /// webhook, an operator closing a failed refund, sagas paged, notifications followed live — and,
    /// at the end, every event of the run checked against every inbox: each in the inboxes it
    /// concerns, exactly once, and nowhere else.
    @Suite("Public API: the rest, and every inbox")
    struct PublicSurfaceTests {
        @Test("evidence, buyer tracking and carrier webhook, an operator's close, saga paging, live notifications; then every event in the right inboxes exactly once")
        func surfaceAndInboxes() async throws {
            try await GatewayWorld.run(arguments: ["payments": ["--payments-simulator-decline-amounts-ending-in", "99"]]) { world in
                // Evidence asked for, given: the case is reviewed again with facts gathered anew.
                let order = try await world.deliveredOrder([("sku_ev", 1, 5_000)], tracking: "SFSURF000001")
                let asked = try await world.apply(.returnAndRefund, order, reason: .damaged)
                #expect(asked.record.state == "AWAITING_EVIDENCE")
                let reviewed = try await world.buyer().call(
                    GatewayMethods.addEvidence,
                    .with {
                        $0.action = .with { $0.caseID = asked.record.caseID; $0.version = asked.record.version }
                        $0.evidence = [.with { $0.kind = .photo; $0.uri = "https://evidence.example/dent.jpg"; $0.sha256 = String(repeating: "ef", count: 32) }]
                    })
                #expect(reviewed.record.state != "AWAITING_EVIDENCE")
                #expect(reviewed.record.decision.decisionID != asked.record.decision.decisionID)
                #expect(reviewed.record.evidence.first?.uploadedBy == .buyer)
                let decision = try await world.buyer().call(GatewayMethods.getCase, .with { $0.caseID = asked.record.caseID }, key: nil).decision
                #expect(decision.factsJson.contains("delivered"))

                // The buyer ships the return with their own carrier; the carrier's webhook reports the pick-up.
                let returnOrder = try await world.deliveredOrder([("sku_own", 1, 5_000)], tracking: "SFSURF000002")
                let returnCase = try await world.apply(.returnAndRefund, returnOrder).record.caseID
                _ = try await world.caseView(returnCase, while: ["APPROVED"])
                let own = try await world.buyer().call(
                    GatewayMethods.registerReturnTracking, .with { $0.caseID = returnCase; $0.carrier = "yto"; $0.trackingNumber = "YTOSURF00001" })
                #expect(own.trackingSource == .buyer)
                let carrier = GatewayWorld.Caller(client: world.clients["carrier"]!, actor: nil)
                let scan = try await carrier.call(
                    GatewayMethods.ingestCarrierEvent,
                    .with {
                        $0.carrier = "yto"; $0.trackingNumber = "YTOSURF00001"; $0.carrierEventID = "yto-evt-1"; $0.kind = .pickedUp
                        $0.occurredAtUnixMicros = 1_800_000_000_000_000
                    }, key: nil)
                #expect(scan.shipment.state == .pickedUp)
                #expect(try await world.caseView(returnCase, while: ["AWAITING_RETURN_SHIPMENT"]).record.state == "RETURN_IN_TRANSIT")

                // A refund the provider declines, closed by an operator.
                let declinedOrder = try await world.paidOrder([("sku_close", 1, 2_999)], shippingFee: 1)
                let declined = try await world.apply(.refundOnly, declinedOrder, reason: .other).record.caseID
                #expect(try await world.caseView(declined, while: ["APPROVED", "REFUNDING"]).record.state == "REFUND_FAILED")
                try await expectStatus(.invalidArgument, containing: "reason") { _ = try await world.cli.call(OperationsMethods.closeCase, .with { $0.caseID = declined }) }
                let closed = try await world.cli.call(OperationsMethods.closeCase, .with { $0.caseID = declined; $0.reason = "buyer refunded in store" })
                #expect(closed.record.state == "CLOSED_REJECTED")
                #expect(closed.history.last?.actorID == "oncall")

                // Sagas, a page at a time: every saga once, newest first.
                let all = try await world.cli.call(OperationsMethods.listSagas, .init(), key: nil).sagas
                var paged: [Aftercare_Gateway_V1_SagaSummary] = []
                var token = ""
                repeat {
                    let page = try await world.cli.call(OperationsMethods.listSagas, .with { $0.pageSize = 2; $0.pageToken = token }, key: nil)
                    paged += page.sagas
                    token = page.nextPageToken
                } while !token.isEmpty
                #expect(paged.map(\.sagaID) == all.map(\.sagaID))
                #expect(all.map(\.definition).sorted() == ["Carrier progress", "Refund", "Return setup"])
                #expect(all.map(\.createdAtUnixMicros) == all.map(\.createdAtUnixMicros).sorted(by: >))
                let compensated = try await world.cli.call(OperationsMethods.listSagas, .with { $0.state = "compensated" }, key: nil).sagas
                #expect(compensated.map(\.caseID) == [declined])
                try await expectStatus(.invalidArgument, containing: "state") { _ = try await world.cli.call(OperationsMethods.listSagas, .with { $0.state = "sleeping" }, key: nil) }

                // The seller's inbox followed live: what is there, then what comes.
                let head = try await world.seller().call(GatewayMethods.listNotifications, .with { $0.limit = 1_000 }, key: nil).head
                let live = try await world.seller().client.serverStreaming(
                    GatewayMethods.followNotifications, .with { $0.after = head - 1 }, options: CallOptions(timeout: .seconds(20), actor: "seller:\(GatewayWorld.seller)")
                ) { stream in
                    var items: [Aftercare_Gateway_V1_Notification] = []
                    for try await item in stream {
                        items.append(item)
                        if items.count == 1 {
                            _ = try await world.seller().call(GatewayMethods.approve, .with { $0.caseID = reviewed.record.caseID; $0.version = reviewed.record.version })
                        }
                        // The approval's notification; the earlier cases' last events may still come first.
                        if items.count > 1, item.subjects.caseID == reviewed.record.caseID { break }
                    }
                    return items
                }
                #expect(live.map(\.position) == Array(head..<(head + Int64(live.count))))
                #expect(live.count >= 2 && live.last?.subjects.caseID == reviewed.record.caseID)

                try await Self.everyEventInItsInboxesOnce(world)
            }
        }

        /// Every event on every service's feed is in exactly the inboxes its audience names
        /// (`InboxAudience`; its rules are checked against hand-written cases in InboxTests), once;
        /// no inbox holds anything else. Reads every feed and inbox page by page; polls (up to 30 s)
        /// while the router catches up.
        static func everyEventInItsInboxesOnce(_ world: GatewayWorld) async throws {
            let deadline = ContinuousClock.now + .seconds(30)
            while true {
                var expected: [String: Set<String>] = [:]
                for name in GatewayWorld.serviceNames {
                    var after: Int64 = 0
                    while true {
                        let events = try await world.direct[name]!.unary(FeedMethods.readEvents, .with { $0.afterSeq = after; $0.limit = 1_000 }).events
                        for event in events {
                            for owner in InboxAudience.owners(of: event) { expected[owner.key, default: []].insert(event.eventID) }
                        }
                        guard let last = events.last else { break }
                        after = last.seq
                    }
                }
                var found: [String: [String]] = [:]
                for owner in expected.keys {
                    let caller: GatewayWorld.Caller =
                        switch InboxOwner(key: owner) {
                        case .buyer(let id)?: world.buyer(id)
                        case .seller(let id)?: world.seller(id)
                        default: world.support
                        }
                    var after: Int64 = 0
                    while true {
                        let page = try await caller.call(GatewayMethods.listNotifications, .with { $0.after = after; $0.limit = 1_000 }, key: nil)
                        found[owner, default: []] += page.items.map(\.eventID)
                        guard !page.items.isEmpty else { break }
                        after = page.nextAfter
                    }
                }
                let exact = expected.allSatisfy { owner, ids in found[owner].map { $0.count == ids.count && Set($0) == ids } ?? false }
                if exact || ContinuousClock.now > deadline {
                    #expect(!expected.isEmpty)
                    for (owner, ids) in expected {
                        #expect(found[owner]?.count == ids.count, "\(owner): each event once")
                        #expect(Set(found[owner] ?? []) == ids, "\(owner)")
                    }
                    return
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}
