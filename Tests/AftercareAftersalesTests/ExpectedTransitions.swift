/// The machines written out by hand, independently of the code's tables (the design: docs/machines.md):
/// `FROM | event | guards | TO`, guards separated by spaces, `-` for none.
enum ExpectedTransitions {
    static let review = """
        REQUESTED | evaluate | policy_approve | APPROVED
        REQUESTED | evaluate | policy_needs_evidence | AWAITING_EVIDENCE
        REQUESTED | evaluate | policy_seller_review | PENDING_SELLER
        REQUESTED | evaluate | policy_ineligible | CLOSED_REJECTED
        AWAITING_EVIDENCE | buyer.add_evidence | - | REQUESTED
        AWAITING_EVIDENCE | T_evidence fired | - | CLOSED_WITHDRAWN
        PENDING_SELLER | seller.approve | - | APPROVED
        PENDING_SELLER | T_seller fired | - | APPROVED
        PENDING_SELLER | seller.reject | seller_may_refuse reason_code_and_evidence | REJECTED
        REJECTED | buyer.escalate | escalation_not_used | ESCALATED
        REJECTED | buyer.accept_rejection | - | CLOSED_REJECTED
        REJECTED | T_escalate fired | - | CLOSED_REJECTED
        ESCALATED | platform.request_evidence | - | ESCALATED
        ESCALATED | T_arbiter fired | - | ESCALATED
        ESCALATED | platform.rule_for_buyer | - | APPROVED
        ESCALATED | platform.rule_for_seller | - | CLOSED_REJECTED
        REQUESTED | buyer.withdraw | - | CLOSED_WITHDRAWN
        AWAITING_EVIDENCE | buyer.withdraw | - | CLOSED_WITHDRAWN
        PENDING_SELLER | buyer.withdraw | - | CLOSED_WITHDRAWN
        REJECTED | buyer.withdraw | - | CLOSED_WITHDRAWN
        """

    static let negotiation = """
        PENDING_SELLER | seller.counter_offer | offer_is_amount | NEGOTIATING
        NEGOTIATING | buyer.decline | - | PENDING_SELLER
        NEGOTIATING | T_offer fired | - | PENDING_SELLER
        NEGOTIATING | buyer.withdraw | - | CLOSED_WITHDRAWN
        """

    static let refundOnly = review + "\n" + negotiation + "\n" + """
        PENDING_SELLER | seller.counter_offer | offer_is_return_required | NEGOTIATING
        NEGOTIATING | buyer.accept | offer_is_amount | APPROVED
        NEGOTIATING | buyer.accept | offer_is_return_required | CONVERTED
        APPROVED | saga Refund: refunding | - | REFUNDING
        REFUNDING | saga Refund: refunded | - | REFUNDED
        APPROVED | saga Refund: refund failed | - | REFUND_FAILED
        REFUNDING | saga Refund: refund failed | - | REFUND_FAILED
        REFUND_FAILED | operator.retry | - | APPROVED
        REFUND_FAILED | operator.manual_payout | - | APPROVED
        REFUND_FAILED | operator.close | - | CLOSED_REJECTED
        """

    /// The return part, with `ACCEPTED` standing for REFUND_APPROVED or RETURN_ACCEPTED.
    static let returnPart = """
        AWAITING_RETURN_SHIPMENT | saga Carrier progress: picked up | on_return_shipment | RETURN_IN_TRANSIT
        AWAITING_RETURN_SHIPMENT | saga Carrier progress: delivered | on_return_shipment | RETURN_DELIVERED
        AWAITING_RETURN_SHIPMENT | buyer.withdraw | - | RETURN_CANCELLING
        AWAITING_RETURN_SHIPMENT | T_ship fired | - | RETURN_CANCELLING
        RETURN_CANCELLING | saga Return cancellation: closed | cancelled_by_buyer | CLOSED_WITHDRAWN
        RETURN_CANCELLING | saga Return cancellation: closed | cancelled_by_timer | CLOSED_EXPIRED
        RETURN_CANCELLING | saga Return cancellation: already picked up | - | RETURN_IN_TRANSIT
        RETURN_CANCELLING | saga Carrier progress: picked up | - | RETURN_CANCELLING
        RETURN_CANCELLING | saga Carrier progress: delivered | - | RETURN_CANCELLING
        RETURN_CANCELLING | saga Carrier progress: lost | - | RETURN_CANCELLING
        RETURN_CANCELLING | saga Carrier progress: other | - | RETURN_CANCELLING
        RETURN_IN_TRANSIT | saga Carrier progress: delivered | on_return_shipment | RETURN_DELIVERED
        RETURN_IN_TRANSIT | saga Carrier progress: lost | on_return_shipment | ACCEPTED
        RETURN_DELIVERED | seller.confirm_receipt | - | INSPECTING
        RETURN_DELIVERED | T_confirm fired | - | ACCEPTED
        INSPECTING | seller.inspect | something_accepted | ACCEPTED
        INSPECTING | T_inspect fired | - | ACCEPTED
        INSPECTING | seller.dispute_receipt | action_has_evidence | RECEIPT_DISPUTED
        RECEIPT_DISPUTED | buyer.accept_partial | something_accepted | ACCEPTED
        RECEIPT_DISPUTED | buyer.accept_partial | nothing_accepted | RETURNING_TO_BUYER
        RECEIPT_DISPUTED | buyer.escalate | - | ESCALATED_HELD
        RECEIPT_DISPUTED | T_escalate fired | - | RETURNING_TO_BUYER
        ESCALATED_HELD | platform.request_evidence | - | ESCALATED_HELD
        ESCALATED_HELD | T_arbiter fired | - | ESCALATED_HELD
        ESCALATED_HELD | platform.rule_for_buyer | - | ACCEPTED
        ESCALATED_HELD | platform.rule_for_seller | - | RETURNING_TO_BUYER
        RETURNING_TO_BUYER | saga Return to buyer: shipment created | - | RETURNING_TO_BUYER
        RETURNING_TO_BUYER | saga Carrier progress: delivered | on_back_to_buyer_shipment | CLOSED_REJECTED
        RETURNING_TO_BUYER | saga Carrier progress: lost | on_back_to_buyer_shipment | CLOSED_REJECTED
        APPROVED | saga Return setup: awaiting return | - | AWAITING_RETURN_SHIPMENT
        """

    static let returnAndRefund = review + "\n" + negotiation + "\n"
        + returnPart.substituting("| ACCEPTED", with: "| REFUND_APPROVED") + "\n" + """
        NEGOTIATING | buyer.accept | offer_is_amount | REFUND_APPROVED
        APPROVED | saga Return setup: nothing refundable | - | CLOSED_REJECTED
        REFUND_APPROVED | saga Refund: refunding | - | REFUNDING
        REFUNDING | saga Refund: refunded | - | REFUNDED
        REFUND_APPROVED | saga Refund: refund failed | - | REFUND_FAILED
        REFUNDING | saga Refund: refund failed | - | REFUND_FAILED
        REFUND_FAILED | operator.retry | - | REFUND_APPROVED
        REFUND_FAILED | operator.manual_payout | - | REFUND_APPROVED
        """

    static let exchange = review + "\n"
        + returnPart.substituting("| ACCEPTED", with: "| RETURN_ACCEPTED") + "\n" + """
        APPROVED | saga Return setup: replacement out of stock | - | CONVERSION_OFFERED
        RETURN_ACCEPTED | saga Exchange fulfilment: replacement shipped | - | REPLACEMENT_SHIPPED
        RETURN_ACCEPTED | saga Exchange fulfilment: out of stock | - | CONVERSION_OFFERED
        REPLACEMENT_SHIPPED | saga Carrier progress: delivered | on_replacement_shipment | EXCHANGED
        REPLACEMENT_SHIPPED | saga Carrier progress: lost | on_replacement_shipment | RETURN_ACCEPTED
        CONVERSION_OFFERED | buyer.accept | goods_with_buyer | CONVERTED
        CONVERSION_OFFERED | buyer.accept | goods_came_back | CONVERTED
        CONVERSION_OFFERED | buyer.decline | goods_with_buyer | CLOSED_WITHDRAWN
        CONVERSION_OFFERED | T_offer fired | goods_with_buyer | CLOSED_WITHDRAWN
        CONVERSION_OFFERED | buyer.decline | goods_came_back | CONVERTED
        CONVERSION_OFFERED | T_offer fired | goods_came_back | CONVERTED
        """

    /// Events each kind must refuse in a state, whatever the facts: `kind | FROM | event`.
    static let illegal = """
        refund_only | REQUESTED | seller.approve
        refund_only | REQUESTED | saga Refund: refunded
        refund_only | APPROVED | buyer.withdraw
        refund_only | APPROVED | seller.reject
        refund_only | REFUNDING | buyer.withdraw
        refund_only | REFUNDING | operator.retry
        refund_only | PENDING_SELLER | buyer.escalate
        refund_only | REJECTED | seller.approve
        refund_only | ESCALATED | buyer.withdraw
        refund_only | ESCALATED | buyer.escalate
        refund_only | NEGOTIATING | seller.approve
        refund_only | AWAITING_EVIDENCE | evaluate
        refund_only | APPROVED | saga Return setup: awaiting return
        refund_only | REFUND_FAILED | saga Refund: refunded
        return_and_refund | REFUND_FAILED | operator.close
        return_and_refund | AWAITING_RETURN_SHIPMENT | seller.confirm_receipt
        return_and_refund | RETURN_IN_TRANSIT | buyer.withdraw
        return_and_refund | RETURN_DELIVERED | buyer.withdraw
        return_and_refund | INSPECTING | buyer.withdraw
        return_and_refund | INSPECTING | buyer.escalate
        return_and_refund | RECEIPT_DISPUTED | seller.inspect
        return_and_refund | ESCALATED_HELD | buyer.withdraw
        return_and_refund | RETURNING_TO_BUYER | buyer.accept_partial
        return_and_refund | APPROVED | saga Return setup: replacement out of stock
        return_and_refund | APPROVED | saga Refund: refunding
        return_and_refund | REFUND_APPROVED | buyer.withdraw
        return_and_refund | RETURN_CANCELLING | buyer.withdraw
        return_and_refund | RETURN_CANCELLING | T_ship fired
        exchange | PENDING_SELLER | seller.counter_offer
        exchange | APPROVED | saga Refund: refunding
        exchange | APPROVED | saga Return setup: nothing refundable
        exchange | RETURN_ACCEPTED | saga Refund: refunding
        exchange | INSPECTING | buyer.accept
        exchange | CONVERSION_OFFERED | buyer.withdraw
        exchange | REPLACEMENT_SHIPPED | buyer.withdraw
        exchange | REPLACEMENT_SHIPPED | operator.retry
        """

    /// Rows that exist but whose guard fails: `kind | FROM | event | guards that hold | the guard
    /// that fails and that the refusal names`.
    static let guardedOut = """
        refund_only | PENDING_SELLER | seller.reject | reason_code_and_evidence | seller_may_refuse
        return_and_refund | PENDING_SELLER | seller.reject | seller_may_refuse | reason_code_and_evidence
        refund_only | REJECTED | buyer.escalate | - | escalation_not_used
        return_and_refund | PENDING_SELLER | seller.counter_offer | offer_is_return_required | offer_is_amount
        return_and_refund | INSPECTING | seller.inspect | - | something_accepted
        return_and_refund | INSPECTING | seller.dispute_receipt | - | action_has_evidence
        exchange | INSPECTING | seller.inspect | - | something_accepted
        refund_only | NEGOTIATING | buyer.accept | - | offer_is_amount
        """
}

extension String {
    func substituting(_ target: String, with replacement: String) -> String {
        self.split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
