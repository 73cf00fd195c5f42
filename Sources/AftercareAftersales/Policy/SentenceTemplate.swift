/// The `say:` sentences of a policy: text with `{placeholder}`s filled from the facts, so a support
/// agent can read the decision to the buyer with its figures. Unknown placeholders are refused when
/// the policy loads.
package enum SentenceTemplate {
    /// Every placeholder a sentence may use.
    package static let placeholders: [String] = [
        "requested", "refundable", "paid", "reason", "kind", "line", "cases_on_line", "max_cases", "threshold",
        "days_since_delivery", "window", "excluded_categories", "buyer_orders", "buyer_paid", "buyer_refunded",
        "refund_rate", "high_rate", "seller_response", "evidence_window",
    ]

    /// The placeholders a template uses, or the first malformed one as an error text.
    static func names(in template: String) -> Result<[String], TemplateProblem> {
        var names: [String] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { return .failure(TemplateProblem(text: "unclosed {")) }
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return .success(names)
    }

    struct TemplateProblem: Error {
        let text: String
    }

    /// Fills a template validated at load time.
    static func render(_ template: String, _ facts: ApplicationFacts, _ policy: ReviewPolicy) -> String {
        let values = Self.values(facts, policy)
        var output = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            output += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            output += values[name] ?? "{\(name)}"
            rest = rest[rest.index(after: close)...]
        }
        return output + rest
    }

    static func values(_ facts: ApplicationFacts, _ policy: ReviewPolicy) -> [String: String] {
        let figures = FactFigures(facts: facts, policy: policy)
        let line = figures.busiestLine
        return [
            "requested": facts.requested.description,
            "refundable": facts.refundable.description,
            "paid": facts.paid.description,
            "reason": facts.reason.rawValue.replacingUnderscores,
            "kind": facts.kind.rawValue.replacingUnderscores,
            "line": line?.orderLineID ?? "-",
            "cases_on_line": String(line?.casesBefore ?? 0),
            "max_cases": String(policy.thresholds.maxCasesPerLine),
            "threshold": figures.reviewThreshold?.description ?? "-",
            "days_since_delivery": figures.daysSinceDelivery.map(String.init) ?? "-",
            "window": PolicyDuration(seconds: policy.thresholds.noReasonWindowSeconds).spoken,
            "excluded_categories": policy.noReasonExcludedCategories.joined(separator: ", "),
            "buyer_orders": String(facts.buyer.orders),
            "buyer_paid": facts.buyer.paid.description,
            "buyer_refunded": facts.buyer.refunded.description,
            "refund_rate": figures.refundRateBps.map(FactFigures.percent) ?? "-",
            "high_rate": FactFigures.percent(policy.thresholds.highRefundRateBps),
            "seller_response": PolicyDuration(seconds: policy.seconds(of: .seller)).spoken,
            "evidence_window": PolicyDuration(seconds: policy.seconds(of: .evidence)).spoken,
        ]
    }
}

extension String {
    fileprivate var replacingUnderscores: String {
        String(self.map { $0 == "_" ? " " : $0 })
    }
}

extension PolicyDuration {
    /// `"7 days"`, `"48 hours"`: the duration as a sentence says it.
    var spoken: String {
        let text = self.description
        let number = text.dropLast()
        switch text.last {
        case "d": return "\(number) days"
        case "h": return "\(number) hours"
        case "m": return "\(number) minutes"
        default: return "\(number) seconds"
        }
    }
}
