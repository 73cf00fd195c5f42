import AftercareRPC

private typealias R = RequestCase

/// Bad case actions, one a line (see ``RequestCase``): the wrong party, another's case, a stale
/// version, a state that does not allow the action. `{awaiting}` awaits its return parcel;
/// `{refunded}` is closed, refunded.
extension RequestCase {
    static let actions: [RequestCase] = [
        // The buyer's actions.
        R("Withdraw", .seller, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .permissionDenied, "actor"),
        R("Withdraw", .support, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .permissionDenied, "actor"),
        R("Withdraw", .otherBuyer, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .permissionDenied, "case_id"),
        R("Withdraw", .buyer, #"{"case_id": "{awaiting}", "version": "{awaitingV}", "actor_id": "buyer_other"}"#, .permissionDenied, "actor_id"),
        R("Withdraw", .buyer, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, key: .none, .invalidArgument, "idempotency_key"),
        R("Withdraw", .buyer, #"{"case_id": "{awaiting}", "version": "1"}"#, .aborted, "version"),
        R("Withdraw", .buyer, #"{"case_id": "{awaiting}", "version": "{awaitingV}", "note": "{x1100}"}"#, .invalidArgument, "note"),
        R("Withdraw", .buyer, #"{"case_id": "{awaiting}", "version": "{awaitingV}", "reason_code": "{x300}"}"#, .invalidArgument, "reason_code"),
        R("Withdraw", .buyer, #"{"case_id": "{refunded}", "version": "{refundedV}"}"#, .failedPrecondition, "REFUNDED"),
        R("Withdraw", .buyer, #"{"case_id": "", "version": "1"}"#, .invalidArgument, "case_id"),
        R("Withdraw", .buyer, #"{"case_id": "cas_nope", "version": "1"}"#, .notFound, "case_id"),
        R("AcceptOffer", .seller, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .permissionDenied, "actor"),
        R("AcceptOffer", .otherBuyer, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .permissionDenied, "case_id"),
        R("AcceptOffer", .buyer, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .failedPrecondition, "AWAITING_RETURN_SHIPMENT"),
        R("AcceptOffer", .buyer, #"{"case_id": "{refunded}", "version": "{refundedV}"}"#, .failedPrecondition, "REFUNDED"),
        R("DeclineOffer", .seller, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .permissionDenied, "actor"),
        R("DeclineOffer", .otherBuyer, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .permissionDenied, "case_id"),
        R("DeclineOffer", .buyer, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .failedPrecondition, "AWAITING_RETURN_SHIPMENT"),
        R("Escalate", .seller, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .permissionDenied, "actor"),
        R("Escalate", .otherBuyer, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .permissionDenied, "case_id"),
        R("Escalate", .buyer, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .failedPrecondition, "AWAITING_RETURN_SHIPMENT"),
        R("Escalate", .buyer, #"{"case_id": "{refunded}", "version": "{refundedV}"}"#, .failedPrecondition, "REFUNDED"),
        R("AcceptRejection", .seller, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .permissionDenied, "actor"),
        R("AcceptRejection", .buyer, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .failedPrecondition, "AWAITING_RETURN_SHIPMENT"),
        R("AcceptPartial", .seller, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .permissionDenied, "actor"),
        R("AcceptPartial", .buyer, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .failedPrecondition, "AWAITING_RETURN_SHIPMENT"),
        R("AcceptRejection", .otherBuyer, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .permissionDenied, "case_id"),
        R("AcceptRejection", .buyer, #"{"case_id": "{refunded}", "version": "{refundedV}"}"#, .failedPrecondition, "REFUNDED"),
        R("AcceptPartial", .otherBuyer, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .permissionDenied, "case_id"),
        R("AcceptPartial", .buyer, #"{"case_id": "{refunded}", "version": "{refundedV}"}"#, .failedPrecondition, "REFUNDED"),
        R("DeclineOffer", .buyer, #"{"case_id": "{refunded}", "version": "{refundedV}"}"#, .failedPrecondition, "REFUNDED"),

        // The seller's actions.
        R("Approve", .buyer, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .permissionDenied, "actor"),
        R("Approve", .support, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .permissionDenied, "actor"),
        R("Approve", .otherSeller, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .permissionDenied, "case_id"),
        R("Approve", .seller, #"{"case_id": "{awaiting}", "version": "{awaitingV}", "actor_id": "seller_other"}"#, .permissionDenied, "actor_id"),
        R("Approve", .seller, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .failedPrecondition, "AWAITING_RETURN_SHIPMENT"),
        R("Approve", .seller, #"{"case_id": "{refunded}", "version": "{refundedV}"}"#, .failedPrecondition, "REFUNDED"),
        R("Reject", .buyer, #"{"action": {"case_id": "{awaiting}", "version": "{awaitingV}", "reason_code": "used"}}"#, .permissionDenied, "actor"),
        R("Reject", .otherSeller, #"{"action": {"case_id": "{awaiting}", "version": "{awaitingV}", "reason_code": "used"}}"#, .permissionDenied, "case_id"),
        R("Reject", .seller, #"{"action": {"case_id": "{awaiting}", "version": "{awaitingV}", "reason_code": "used", "actor_id": "seller_other"}}"#, .permissionDenied, "action.actor_id"),
        R("Reject", .seller, #"{"action": {"case_id": "{awaiting}", "version": "{awaitingV}", "reason_code": "used"}, "evidence": [{photo}]}"#, .failedPrecondition, "AWAITING_RETURN_SHIPMENT"),
        R("CounterOffer", .buyer, #"{"action": {"case_id": "{awaiting}", "version": "{awaitingV}"}, "offer": {"kind": "AMOUNT", "amount": {cny}}}"#, .permissionDenied, "actor"),
        R("CounterOffer", .otherSeller, #"{"action": {"case_id": "{awaiting}", "version": "{awaitingV}"}, "offer": {"kind": "AMOUNT", "amount": {cny}}}"#, .permissionDenied, "case_id"),
        R("CounterOffer", .seller, #"{"action": {"case_id": "{awaiting}", "version": "{awaitingV}"}, "offer": {"kind": "AMOUNT", "amount": {cny}}}"#, .failedPrecondition, "AWAITING_RETURN_SHIPMENT"),
        R("ConfirmReceipt", .buyer, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .permissionDenied, "actor"),
        R("ConfirmReceipt", .otherSeller, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .permissionDenied, "case_id"),
        R("ConfirmReceipt", .seller, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .failedPrecondition, "AWAITING_RETURN_SHIPMENT"),
        R("Inspect", .buyer, #"{"action": {"case_id": "{awaiting}", "version": "{awaitingV}"}, "lines": [{"line_id": "{deliveredLine}", "received_ok": "1"}]}"#, .permissionDenied, "actor"),
        R("Inspect", .seller, #"{"action": {"case_id": "{awaiting}", "version": "{awaitingV}"}, "lines": [{"line_id": "{deliveredLine}", "received_ok": "1"}]}"#, .failedPrecondition, "AWAITING_RETURN_SHIPMENT"),
        R("DisputeReceipt", .buyer, #"{"action": {"case_id": "{awaiting}", "version": "{awaitingV}"}, "lines": [{"line_id": "{deliveredLine}", "wrong_item": "1"}], "evidence": [{photo}]}"#, .permissionDenied, "actor"),
        R("DisputeReceipt", .seller, #"{"action": {"case_id": "{awaiting}", "version": "{awaitingV}"}, "lines": [{"line_id": "{deliveredLine}", "wrong_item": "1"}], "evidence": [{photo}]}"#, .failedPrecondition, "AWAITING_RETURN_SHIPMENT"),
        R("CounterOffer", .seller, #"{"action": {"case_id": "{refunded}", "version": "{refundedV}"}, "offer": {"kind": "AMOUNT", "amount": {cny}}}"#, .failedPrecondition, "REFUNDED"),
        R("ConfirmReceipt", .seller, #"{"case_id": "{refunded}", "version": "{refundedV}"}"#, .failedPrecondition, "REFUNDED"),
        R("Inspect", .otherSeller, #"{"action": {"case_id": "{awaiting}", "version": "{awaitingV}"}, "lines": [{"line_id": "{deliveredLine}", "received_ok": "1"}]}"#, .permissionDenied, "case_id"),
        R("DisputeReceipt", .otherSeller, #"{"action": {"case_id": "{awaiting}", "version": "{awaitingV}"}, "lines": [{"line_id": "{deliveredLine}", "wrong_item": "1"}], "evidence": [{photo}]}"#, .permissionDenied, "case_id"),
        R("RequestEvidence", .seller, #"{"action": {"case_id": "{awaiting}", "version": "{awaitingV}"}, "party": "BUYER"}"#, .permissionDenied, "actor"),
        R("RuleForBuyer", .cli, #"{"action": {"case_id": "{awaiting}", "version": "{awaitingV}"}, "amount": {cny}}"#, .permissionDenied, "actor"),
        R("RuleForBuyer", .buyer, #"{"action": {"case_id": "{awaiting}", "version": "{awaitingV}"}, "amount": {cny}}"#, .permissionDenied, "actor"),

        // The platform's rulings.
        R("RequestEvidence", .buyer, #"{"action": {"case_id": "{awaiting}", "version": "{awaitingV}"}, "party": "BUYER"}"#, .permissionDenied, "actor"),
        R("RequestEvidence", .cli, #"{"action": {"case_id": "{awaiting}", "version": "{awaitingV}"}, "party": "BUYER"}"#, .permissionDenied, "actor"),
        R("RequestEvidence", .support, #"{"action": {"case_id": "{awaiting}", "version": "{awaitingV}"}, "party": "BUYER"}"#, .failedPrecondition, "AWAITING_RETURN_SHIPMENT"),
        R("RuleForBuyer", .seller, #"{"action": {"case_id": "{awaiting}", "version": "{awaitingV}"}, "amount": {cny}}"#, .permissionDenied, "actor"),
        R("RuleForBuyer", .support, #"{"action": {"case_id": "{awaiting}", "version": "{awaitingV}"}, "amount": {cny}}"#, .failedPrecondition, "AWAITING_RETURN_SHIPMENT"),
        R("RuleForSeller", .buyer, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .permissionDenied, "actor"),
        R("RuleForSeller", .cli, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .permissionDenied, "actor"),
        R("RuleForSeller", .support, #"{"case_id": "{awaiting}", "version": "{awaitingV}"}"#, .failedPrecondition, "AWAITING_RETURN_SHIPMENT"),
        R("RuleForSeller", .support, #"{"case_id": "{refunded}", "version": "{refundedV}"}"#, .failedPrecondition, "REFUNDED"),
    ]
}
