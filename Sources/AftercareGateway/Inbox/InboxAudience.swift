import AftercareAftersalesAPI
import AftercareFeedbackAPI
import AftercareRPC
import AftercareServiceKit

/// Which inboxes a feed event reaches.
///
/// - **Buyers and sellers**: the event's `buyer_id` and `seller_id`, for every event except the
///   services' internal bookkeeping — `orders.reservation.*` and `orders.stock.changed` (money and
///   stock held for a saga; the case events say what the parties need), `aftersales.case.saga_requested`
///   (the gateway's work order; the case's own `changed` event tells the parties), and
///   `feedback.case.*` (a review's timer paused or resumed). `feedback.attention.seller` reaches the
///   seller only, `feedback.attention.platform` no party.
/// - **The platform team**: what needs a platform person —
///   `feedback.attention.platform` (negative or flagged platform feedback);
///   `aftersales.case.changed` whose entry is `buyer.escalate` (the buyer asked the platform to rule);
///   `aftersales.case.changed` entering `REFUND_FAILED` (an operator retries or pays out by hand);
///   `feedback.review.appealed` (a seller's appeal waits for the platform's ruling).
enum InboxAudience {
    static let internalTypes: Set<String> = [AftersalesEventTypes.sagaRequested, FeedbackEventTypes.caseOpened, FeedbackEventTypes.caseClosed]
    static let internalPrefixes = ["orders.reservation.", "orders.stock."]

    /// The owners `event` reaches, buyer first, then seller, then the platform; each once.
    static func owners(of event: Aftercare_Common_V1_Event) -> [InboxOwner] {
        var owners: [InboxOwner] = []
        if self.reachesParties(event) {
            if !event.buyerID.isEmpty, event.type != FeedbackEventTypes.attentionSeller { owners.append(.buyer(event.buyerID)) }
            if !event.sellerID.isEmpty { owners.append(.seller(event.sellerID)) }
        }
        if self.reachesPlatform(event) { owners.append(.platform) }
        return owners
    }

    static func reachesParties(_ event: Aftercare_Common_V1_Event) -> Bool {
        !self.internalTypes.contains(event.type) && !self.internalPrefixes.contains { event.type.hasPrefix($0) }
            && event.type != FeedbackEventTypes.attentionPlatform
    }

    static func reachesPlatform(_ event: Aftercare_Common_V1_Event) -> Bool {
        switch event.type {
        case FeedbackEventTypes.attentionPlatform, FeedbackEventTypes.appealed:
            return true
        case AftersalesEventTypes.changed:
            guard let change = event.payload(as: Aftercare_Aftersales_V1_CaseChanged.self) else { return false }
            return change.entry.event == "buyer.escalate"
                || (change.entry.toState == "REFUND_FAILED" && change.entry.fromState != "REFUND_FAILED")
        default:
            return false
        }
    }
}
