@testable import AftercareAftersales
import AftercareAftersalesAPI
import AftercareRPC
import Testing

/// A return whose cancellation came too late (Return cancellation: already picked up) has left the
/// buyer: the case says so, and an exchange that then runs out of stock converts into the refund
/// the buyer is owed, not into a return of goods they no longer have.
@Suite("A cancellation too late to stop the pick-up")
struct CancelledReturnPickedUpTests {
    @Test("already picked up: the return left the buyer; a lost parcel and no stock convert to refund-only")
    func alreadyPickedUpMeansTheGoodsLeftTheBuyer() async throws {
        try await AftersalesHarness.run { harness in
            var driver = ServiceDriver(harness, kind: .exchange)
            _ = try await driver.open(reviewedAs: .sellerReview)
            for event: CaseEvent in [.sellerApprove, .returnSetupAwaitingReturn, .buyerWithdraw] {
                _ = try await driver.send(event)
            }
            let inTransit = try await driver.send(.returnCancellationAlreadyPickedUp)
            #expect(inTransit.record.state == "RETURN_IN_TRANSIT")
            #expect(inTransit.record.returnPickedUp)

            #expect(try await driver.send(.carrierLost, satisfying: [.onReturnShipment]).record.state == "RETURN_ACCEPTED")
            #expect(try await driver.send(.exchangeOutOfStock).record.state == "CONVERSION_OFFERED")
            let converted = try await driver.send(.buyerAccept)
            #expect(converted.record.state == "CONVERTED")
            let linked = try await harness.get(converted.record.convertedToCaseID)
            #expect(linked.record.kind == .refundOnly && linked.record.state == "APPROVED")
        }
    }
}
