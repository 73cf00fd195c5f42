internal import Foundation
internal import Yams

extension ReviewPolicy {
    /// Loads and validates a policy file's text. Anything wrong — bad YAML, an unknown or missing
    /// key, a wrong type, an unknown outcome, condition, reason or placeholder, a repeated rule id,
    /// a negative duration — is refused with the line and the key.
    package static func load(yaml: String) throws(PolicyError) -> ReviewPolicy {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw PolicyError(line: nil, key: "", problem: "the file is empty")
            }
            root = node
        } catch let error as PolicyError {
            throw error
        } catch let error as YamlError {
            throw PolicyError(yamlError: error)
        } catch {
            throw PolicyError(line: nil, key: "", problem: "not YAML: \(error)")
        }
        return try ReviewPolicy(root: PolicyYAMLNode(node: root, path: ""), source: yaml)
    }

    /// Loads the policy file at a path (the service's `aftersales.policy` setting).
    package static func load(contentsOf path: String) throws(PolicyError) -> ReviewPolicy {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PolicyError(line: nil, key: "", problem: "cannot read \(path)")
        }
        return try load(yaml: String(decoding: data, as: UTF8.self))
    }

    init(root: PolicyYAMLNode, source: String) throws(PolicyError) {
        let top = try root.mapping(allowed: ["version", "timers", "thresholds", "categories", "reasons", "rules", "default"])
        self.version = try top.required("version", in: root).string()
        self.fingerprint = Self.fingerprint(of: source)
        self.source = source
        self.timerSeconds = try Self.timers(top["timers"])
        self.thresholds = try Self.thresholds(top.required("thresholds", in: root))
        let categoriesNode = try top.required("categories", in: root)
        let categories = try categoriesNode.mapping(allowed: ["no_reason_excluded"])
        self.noReasonExcludedCategories = try categories.required("no_reason_excluded", in: categoriesNode).strings()
        let reasonsNode = try top.required("reasons", in: root)
        let reasons = try reasonsNode.mapping(allowed: ["evidence_required"])
        var evidenceRequired: [CaseReason] = []
        for item in try reasons.required("evidence_required", in: reasonsNode).sequence() {
            evidenceRequired.append(try item.oneOf(CaseReason.self, named: "reason"))
        }
        self.evidenceRequiredReasons = evidenceRequired
        var rules: [Rule] = []
        for item in try top.required("rules", in: root).sequence() {
            let rule = try Self.rule(item)
            if rules.contains(where: { $0.id == rule.id }) {
                throw PolicyError(line: item.line, key: "\(item.path).id", problem: "duplicate rule id \(rule.id)")
            }
            rules.append(rule)
        }
        self.rules = rules
        let fallbackNode = try top.required("default", in: root)
        let fallback = try fallbackNode.mapping(allowed: ["outcome", "seller_may_refuse", "say"])
        self.fallback = Fallback(
            outcome: try fallback.required("outcome", in: fallbackNode).oneOf(ReviewOutcome.self, named: "outcome"),
            sellerMayRefuse: try fallback["seller_may_refuse"]?.bool() ?? true,
            say: try Self.sentence(fallback.required("say", in: fallbackNode)))
    }

    /// The longest timer a policy may set: ten years, so a deadline in microseconds stays far from
    /// Int64's end (a timer started on a longer one would overflow).
    static let maxTimerSeconds: Int64 = 3_650 * 86_400

    static func timers(_ node: PolicyYAMLNode?) throws(PolicyError) -> [CaseTimer: Int64] {
        var seconds = Dictionary(uniqueKeysWithValues: CaseTimer.allCases.map { ($0, $0.defaultSeconds) })
        guard let node else { return seconds }
        for (name, value) in try node.mapping(allowed: CaseTimer.allCases.map(\.rawValue)) {
            let duration = try value.duration()
            guard duration <= Self.maxTimerSeconds else {
                throw value.fail("at most \(PolicyDuration(seconds: Self.maxTimerSeconds)), got \(PolicyDuration(seconds: duration))")
            }
            seconds[CaseTimer(rawValue: name)!] = duration
        }
        return seconds
    }

    static func thresholds(_ node: PolicyYAMLNode) throws(PolicyError) -> Thresholds {
        let keys = try node.mapping(allowed: [
            "no_reason_window", "no_reason_window_from", "max_cases_per_line", "seller_review_above", "high_refund_rate_bps",
            "refund_rate_min_orders",
        ])
        let aboveNode = try keys.required("seller_review_above", in: node)
        var above: [String: Int64] = [:]
        guard let aboveMapping = aboveNode.node.mapping else { throw aboveNode.fail("expected a mapping of currency to minor units") }
        for (key, value) in aboveMapping {
            let currency = aboveNode.child(key.scalar?.string ?? "?", key)
            let code = try currency.string()
            guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                throw currency.fail("expected an ISO currency code like CNY, got \(code)")
            }
            guard above[code] == nil else { throw currency.fail("duplicate key \(code)") }
            above[code] = try aboveNode.child(code, value).nonNegativeInt()
        }
        let rateNode = try keys.required("high_refund_rate_bps", in: node)
        let rate = try rateNode.nonNegativeInt()
        guard rate <= 10_000 else { throw rateNode.fail("basis points go up to 10000, got \(rate)") }
        let maxCasesNode = try keys.required("max_cases_per_line", in: node)
        let maxCases = try maxCasesNode.nonNegativeInt()
        guard maxCases >= 1, maxCases <= 1000 else { throw maxCasesNode.fail("expected 1 to 1000, got \(maxCases)") }
        return Thresholds(
            noReasonWindowSeconds: try keys.required("no_reason_window", in: node).duration(),
            maxCasesPerLine: Int(maxCases),
            sellerReviewAbove: above,
            highRefundRateBps: rate,
            refundRateMinOrders: try keys.required("refund_rate_min_orders", in: node).nonNegativeInt(),
            noReasonWindowFrom: try keys["no_reason_window_from"]?.oneOf(WindowStart.self, named: "window start") ?? .delivery)
    }

    static func rule(_ node: PolicyYAMLNode) throws(PolicyError) -> Rule {
        let keys = try node.mapping(allowed: ["id", "when", "outcome", "seller_may_refuse", "say"])
        let whenNode = try keys.required("when", in: node)
        var conditions: [PolicyCondition] = []
        for item in try whenNode.sequence() {
            conditions.append(try item.oneOf(PolicyCondition.self, named: "condition"))
        }
        guard !conditions.isEmpty else { throw whenNode.fail("a rule needs at least one condition") }
        return Rule(
            id: try keys.required("id", in: node).string(),
            when: conditions,
            outcome: try keys.required("outcome", in: node).oneOf(ReviewOutcome.self, named: "outcome"),
            sellerMayRefuse: try keys["seller_may_refuse"]?.bool() ?? true,
            say: try sentence(keys.required("say", in: node)))
    }

    static func sentence(_ node: PolicyYAMLNode) throws(PolicyError) -> String {
        let text = try node.string()
        switch SentenceTemplate.names(in: text) {
        case .failure(let problem):
            throw node.fail("sentence: \(problem.text)")
        case .success(let names):
            if let unknown = names.first(where: { !SentenceTemplate.placeholders.contains($0) }) {
                throw node.fail(
                    "unknown placeholder {\(unknown)} (expected one of: \(SentenceTemplate.placeholders.joined(separator: ", ")))")
            }
        }
        return text
    }

    /// FNV-1a (64 bit) of the file's UTF-8 bytes, in hex: tells two texts of one version apart.
    static func fingerprint(of source: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in source.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "fnv1a:" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension PolicyError {
    /// A YAML syntax error, at the line the parser reports.
    init(yamlError: YamlError) {
        switch yamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            self.init(line: mark.line, key: "", problem: "not valid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            self.init(line: context.mark.line, key: duplicates.joined(separator: ", "), problem: "duplicate key")
        default:
            self.init(line: nil, key: "", problem: "not valid YAML: \(yamlError)")
        }
    }
}
