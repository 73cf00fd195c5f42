extension ReviewPolicy {
    /// The default policy file, which also documents the format. A deployment copies it, edits it
    /// (raising `version`) and points the service's configuration at the copy.
    package static let defaultYAML = #"""
        # Aftercare review policy: the automatic review of a new after-sales case.
        #
        # version     text, required. Stored in every decision; raise it whenever the file changes.
        # timers      optional. Durations of the case timers: T_seller, T_evidence, T_offer, T_escalate,
        #             T_arbiter, T_ship, T_confirm, T_inspect. A duration is a whole number and a unit:
        #             s, m, h or d (90s, 30m, 48h, 7d). A timer left out keeps its default.
        # thresholds  required, every key:
        #   no_reason_window        how long after delivery a no-reason return is accepted (duration)
        #   no_reason_window_from   optional: delivery (the default) or completion — the window
        #                           then runs from the buyer's confirmed receipt (or the order's
        #                           automatic completion) and has not begun before it
        #   max_cases_per_line      cases allowed on one order line, the new one included
        #   seller_review_above     per currency, the requested amount in minor units above which
        #                           the seller reviews (a currency left out has no threshold)
        #   high_refund_rate_bps    the buyer's 90-day refund rate (refunded / paid, in basis points,
        #                           10000 = 100%) from which the seller reviews
        #   refund_rate_min_orders  orders the buyer needs in 90 days before the rate counts
        # categories  required: no_reason_excluded, the categories a no-reason return does not cover.
        # reasons     required: evidence_required, the reasons that need at least one photo or video
        #             (no_reason_7d, damaged, not_as_described, wrong_item, not_received, quality, other).
        # rules       required, tried in order; the first rule whose conditions all hold decides.
        #   id                 unique text, recorded in decisions
        #   when               a list of conditions, all of which must hold:
        #                      refund_only, return_and_refund, exchange (the case's kind),
        #                      order_not_shipped (created or paid), reason_no_reason,
        #                      reason_needs_evidence, no_photo_or_video, within_no_reason_window,
        #                      no_excluded_category, requested_above_refundable,
        #                      line_case_limit_reached, requested_above_review_threshold,
        #                      buyer_refund_rate_high
        #   outcome            approve | needs_evidence | seller_review | ineligible
        #   seller_may_refuse  optional, default true; false protects the case from a seller's
        #                      refusal whenever this rule fires, even if an earlier rule decided
        #   say                the sentence a support agent reads to the buyer; placeholders:
        #                      {requested} {refundable} {paid} {reason} {kind} {line} {cases_on_line}
        #                      {max_cases} {threshold} {days_since_delivery} {window}
        #                      {excluded_categories} {buyer_orders} {buyer_paid} {buyer_refunded}
        #                      {refund_rate} {high_rate} {seller_response} {evidence_window}
        # default     required: outcome, seller_may_refuse (optional) and say, when no rule fires.
        version: default-1
        timers:
          T_seller: 48h
          T_evidence: 72h
          T_offer: 72h
          T_escalate: 7d
          T_arbiter: 72h
          T_ship: 7d
          T_confirm: 7d
          T_inspect: 48h
        thresholds:
          no_reason_window: 7d
          max_cases_per_line: 5
          seller_review_above:
            CNY: 100000
          high_refund_rate_bps: 5000
          refund_rate_min_orders: 3
        categories:
          no_reason_excluded: [perishable, customised, digital, opened_audio_visual]
        reasons:
          evidence_required: [damaged, not_as_described, quality]
        rules:
          - id: amount_over_refundable
            when: [requested_above_refundable]
            outcome: ineligible
            say: "We cannot accept this request: you asked for {requested}, but only {refundable} can still be refunded on this order."
          - id: too_many_cases_on_line
            when: [line_case_limit_reached]
            outcome: ineligible
            say: "We cannot accept this request: order line {line} already has {cases_on_line} after-sales cases and at most {max_cases} are allowed."
          - id: unshipped_refund_only
            when: [refund_only, order_not_shipped]
            outcome: approve
            seller_may_refuse: false
            say: "Your refund of {requested} is approved at once because the order has not shipped; the seller cannot refuse it."
          - id: evidence_missing
            when: [reason_needs_evidence, no_photo_or_video]
            outcome: needs_evidence
            say: "Please add at least one photo or video showing the problem ({reason}) within {evidence_window} so we can review your request for {requested}."
          - id: no_reason_return_in_window
            when: [return_and_refund, reason_no_reason, within_no_reason_window, no_excluded_category]
            outcome: approve
            seller_may_refuse: false
            say: "Your no-reason return is approved: the order was delivered {days_since_delivery} days ago, within the {window} allowed; the seller cannot refuse it."
          - id: amount_above_threshold
            when: [requested_above_review_threshold]
            outcome: seller_review
            say: "The seller will review your request because {requested} is above the {threshold} we approve automatically; they have {seller_response} to answer."
          - id: high_refund_rate
            when: [buyer_refund_rate_high]
            outcome: seller_review
            say: "The seller will review your request because {buyer_refunded} of the {buyer_paid} you paid on {buyer_orders} orders in the last 90 days was refunded ({refund_rate}); they have {seller_response} to answer."
        default:
          outcome: seller_review
          say: "The seller will review your request for {requested} and has {seller_response} to answer."

        """#

    /// The default policy, loaded from ``defaultYAML`` (a test proves the text loads).
    package static let builtIn: ReviewPolicy = {
        do {
            return try load(yaml: defaultYAML)
        } catch {
            preconditionFailure("the built-in review policy does not load: \(error)")
        }
    }()
}
