import AftercareAftersalesAPI
import AftercareFeedbackAPI
import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Foundation
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// Feedback learns the cases on order lines from aftersales' feed, which it follows itself from
    /// a cursor in its own database (the gateway no longer relays them).
    @Suite("Feedback follows aftersales' feed")
    struct FeedbackFollowsFeedTests {
        @Test("a case opened through the gateway pauses the review of its line only; withdrawn, the review is eligible with its timer running again")
        func caseOnALine() async throws {
            try await GatewayWorld.run { world in
                let order = try await world.deliveredOrder([("sku_ffa", 1, 5_000), ("sku_ffb", 1, 3_000)], tracking: "SFFF00000001")
                let (first, second) = (order.lines[0].lineID, order.lines[1].lineID)
                let delivered = try await world.orderView(order.orderID) { $0.reviews.count == 2 }
                #expect(delivered.reviews.count == 2 && delivered.reviews.allSatisfy { !$0.afterSalesInProgress && $0.state == .eligible })

                let caseID = try await world.apply(.returnAndRefund, order, reason: .noReason7D).record.caseID
                let awaiting = try await world.caseView(caseID, while: ["APPROVED"])
                #expect(awaiting.record.state == "AWAITING_RETURN_SHIPMENT")
                let paused = try await world.orderView(order.orderID) { view in view.reviews.contains { $0.lineID == first && $0.afterSalesInProgress } }
                let pausedFirst = try #require(paused.reviews.first { $0.lineID == first })
                #expect(pausedFirst.openCaseIds == [caseID])
                #expect(pausedFirst.timerPausedAtUnixMicros > 0)
                #expect(pausedFirst.state == .eligible)
                let untouched = try #require(paused.reviews.first { $0.lineID == second })
                #expect(!untouched.afterSalesInProgress && untouched.timerPausedAtUnixMicros == 0)

                try await world.steadyAct(GatewayMethods.withdraw, caseID, from: "AWAITING_RETURN_SHIPMENT", by: world.buyer())
                let closed = try await world.caseView(caseID, while: ["AWAITING_RETURN_SHIPMENT", "RETURN_CANCELLING"])
                #expect(closed.record.state == "CLOSED_WITHDRAWN")
                let resumed = try await world.orderView(order.orderID) { view in view.reviews.allSatisfy { !$0.afterSalesInProgress } }
                let resumedFirst = try #require(resumed.reviews.first { $0.lineID == first })
                #expect(resumedFirst.openCaseIds.isEmpty && resumedFirst.timerPausedAtUnixMicros == 0 && resumedFirst.state == .eligible)

                // Feedback followed aftersales' feed itself, from its own cursor.
                let cursor = try await world.readDatabase("feedback", "SELECT after_seq FROM feed_cursors WHERE source = 'aftersales'")
                #expect((cursor ?? 0) > 0)
            }
        }

        @Test(
            "feedback killed (SIGKILL) while cases are opened, then started again: every case's opening and closing applied exactly once",
            arguments: [Kill.outside, .midPage])
        func killedWhileCasesOpen(_ kill: Kill) async throws {
            try await GatewayWorld.run { world in
                let count = 8
                var paid: [Aftercare_Orders_V1_Order] = []
                for index in 0..<count {
                    paid.append(try await world.paidOrder([("sku_ffk\(index)", 1, 1_000 + Int64(index))]))
                }
                let orders = paid
                if kill == .midPage {
                    // Feedback dies with a page of aftersales' events written but not committed.
                    try await world.armCrashPoint("feedback", "router.page-uncommitted@aftersales/*#3")
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for (index, order) in orders.enumerated() {
                            let application = GatewayWorld.application(.refundOnly, order, reason: .other, replacementSKU: "")
                            _ = try await world.buyer().persist(GatewayMethods.apply, application, key: "apply-ffk-\(index)")
                            try await Task.sleep(for: .milliseconds(50))
                        }
                    }
                    group.addTask {
                        let feedback = world.process("feedback")
                        switch kill {
                        case .outside:
                            // Once feedback has applied a few cases, it is killed mid-stream.
                            let deadline = ContinuousClock.now + .seconds(60)
                            while try await world.readDatabase("feedback", "SELECT COUNT(*) FROM feedback_line_cases") ?? 0 < 2, ContinuousClock.now < deadline {
                                try await Task.sleep(for: .milliseconds(10))
                            }
                            feedback.kill()
                        case .midPage:
                            let ended = try await feedback.waitUntilEnded(within: .seconds(60))
                            #expect(ended == .signalled(SIGKILL), "\(feedback.log)")
                        }
                        #expect(!feedback.isRunning)
                        try await Task.sleep(for: .milliseconds(300))
                        try await world.relaunch("feedback")
                        #expect(world.process("feedback").processIdentifier != feedback.processIdentifier)
                    }
                    try await group.waitForAll()
                }

                // Every case is refunded and closed by aftersales; feedback catches up with both events of each.
                let opened = Set(try await Self.caseIDs(world, aftersales: AftersalesEventTypes.opened))
                #expect(opened.count == count)
                let deadline = ContinuousClock.now + .seconds(60)
                var feedback: [String: [String]] = [:]
                var closed: Set<String> = []
                while ContinuousClock.now < deadline {
                    feedback = try await Self.feedbackCases(world)
                    closed = Set(try await Self.caseIDs(world, aftersales: AftersalesEventTypes.closed))
                    if Set(feedback[FeedbackEventTypes.caseOpened] ?? []) == opened, closed.count == count,
                        Set(feedback[FeedbackEventTypes.caseClosed] ?? []) == closed
                    {
                        break
                    }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(closed == opened)
                // Exactly once: each case's opening and closing recorded by one event each, one row per case.
                #expect((feedback[FeedbackEventTypes.caseOpened] ?? []).sorted() == opened.sorted())
                #expect((feedback[FeedbackEventTypes.caseClosed] ?? []).sorted() == closed.sorted())
                #expect(try await world.readDatabase("feedback", "SELECT COUNT(*) FROM feedback_line_cases") == Int64(count))
                #expect(try await world.readDatabase("feedback", "SELECT COUNT(*) FROM feedback_line_cases WHERE closed_at IS NOT NULL") == Int64(closed.count))
            }
        }

        /// How feedback dies.
        enum Kill: String, Sendable, CustomTestStringConvertible {
            /// SIGKILL from the test once feedback applied some cases.
            case outside
            /// Its crash point: SIGKILL inside a page's transaction, before the commit.
            case midPage

            var testDescription: String { self.rawValue }
        }

        /// The case ids of aftersales' events of `type`, in feed order.
        static func caseIDs(_ world: GatewayWorld, aftersales type: String) async throws -> [String] {
            var read = Aftercare_Common_V1_ReadEventsRequest()
            read.limit = 1_000
            read.types = [type]
            return try await world.direct["aftersales"]!.unary(FeedMethods.readEvents, read).events.compactMap {
                $0.payload(as: Aftercare_Aftersales_V1_CaseChanged.self)?.record.caseID
            }
        }

        /// The case ids of feedback's `feedback.case.*` events, by type, in feed order.
        static func feedbackCases(_ world: GatewayWorld) async throws -> [String: [String]] {
            var read = Aftercare_Common_V1_ReadEventsRequest()
            read.limit = 1_000
            read.types = [FeedbackEventTypes.caseOpened, FeedbackEventTypes.caseClosed]
            let events = try await world.direct["feedback"]!.unary(FeedMethods.readEvents, read).events
            return Dictionary(grouping: events, by: \.type).mapValues { $0.compactMap { $0.payload(as: Aftercare_Feedback_V1_LineCaseChanged.self)?.caseID } }
        }
    }
}
