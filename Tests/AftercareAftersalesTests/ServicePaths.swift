@testable import AftercareAftersales

/// Paths through the service to every row of a machine, computed from the table: a breadth-first
/// search from a new application over the rows the ``ServiceDriver`` can send, where a node is a
/// state plus what the service carries along the way that a guard or a timer firing reads.
enum ServicePaths {
    /// What the case carries along its path that decides which rows the driver can take next.
    struct Carried: Hashable, Sendable {
        /// False until OpenCase: the search starts before the case exists.
        var opened = false
        var running: Set<CaseTimer> = []
        var offer: CaseFacts.Offer?
        var cancellation: CaseFacts.Cancellation?
        /// The carrier picked the return up (or delivered it): the goods left the buyer.
        var returnPickedUp = false
        var escalationUsed = false
        var sellerMayRefuse = true
    }

    struct Node: Hashable, Sendable {
        var state: CaseState
        var carried: Carried
    }

    /// The review outcome an `evaluate` row's guards ask for.
    static func outcome(of guards: [CaseGuard]) -> ReviewOutcome? {
        for caseGuard in guards {
            switch caseGuard {
            case .policyApprove: return .approve
            case .policyNeedsEvidence: return .needsEvidence
            case .policySellerReview: return .sellerReview
            case .policyIneligible: return .ineligible
            default: continue
            }
        }
        return nil
    }

    /// Whether the built-in policy gives `outcome` to an application of `kind` (no default rule
    /// approves an exchange).
    static func builtInGives(_ outcome: ReviewOutcome, to kind: CaseKind) -> Bool {
        !(outcome == .approve && kind == .exchange)
    }

    /// Whether the driver can send `rule` at `node` with arguments under which its guards hold:
    /// `asStep` for a step of a path (built-in policy, only rows that leave the case at rest).
    static func canSend(_ rule: CaseTransitionRule, kind: CaseKind, at node: Node, asStep: Bool) -> Bool {
        guard rule.from == node.state else { return false }
        let carried = node.carried
        if rule.from == .requested {
            // The case is never at rest in REQUESTED: OpenCase (and AddEvidence in
            // AWAITING_EVIDENCE) reviews it in the same transaction. Only the review is sendable.
            guard rule.event == .evaluate, !carried.opened, let outcome = outcome(of: rule.guards) else { return false }
            return !asStep || builtInGives(outcome, to: kind)
        }
        guard carried.opened else { return false }
        // AddEvidence in AWAITING_EVIDENCE passes through REQUESTED to wherever the review sends
        // it: a row of its own, not a step of a path.
        if rule.to == .requested && asStep { return false }
        if case .timer(let timer) = rule.event.source, !carried.running.contains(timer) { return false }
        return rule.guards.allSatisfy { caseGuard in
            switch caseGuard {
            case .sellerMayRefuse: carried.sellerMayRefuse
            case .offerIsAmount: rule.event == .sellerCounterOffer || carried.offer == .amount
            case .offerIsReturnRequired: rule.event == .sellerCounterOffer || carried.offer == .returnRequired
            case .escalationNotUsed: !carried.escalationUsed
            case .cancelledByBuyer: carried.cancellation == .buyerWithdrew
            case .cancelledByTimer: carried.cancellation == .shipByExpired
            case .goodsWithBuyer: !carried.returnPickedUp
            case .goodsCameBack: carried.returnPickedUp
            // The rest are arguments of the call the driver chooses.
            default: true
            }
        }
    }

    /// The node after `rule`, as the service carries it (Cases+Apply).
    static func after(_ rule: CaseTransitionRule, kind: CaseKind, from node: Node) -> Node {
        let transition = CaseMachine.machine(for: kind).transition(for: rule)
        var carried = node.carried
        carried.opened = true
        if case .timer(let timer) = rule.event.source { carried.running.remove(timer) }
        for effect in transition.effects {
            switch effect {
            case .startTimer(let timer): carried.running.insert(timer)
            case .stopTimer(let timer): carried.running.remove(timer)
            case .recordOffer: carried.offer = rule.guards.contains(.offerIsReturnRequired) ? .returnRequired : .amount
            case .recordCancellation: carried.cancellation = rule.event == .buyerWithdraw ? .buyerWithdrew : .shipByExpired
            case .implyPickUp: carried.returnPickedUp = true
            case .useEscalation: carried.escalationUsed = true
            case .recordDecision: carried.sellerMayRefuse = outcome(of: rule.guards) != .approve
            default: break
            }
        }
        if [.carrierPickedUp, .carrierDelivered].contains(rule.event) && ServiceDriver.shipment(for: rule.guards) == .return {
            carried.returnPickedUp = true
        }
        return Node(state: rule.to, carried: carried)
    }

    /// Every node the driver reaches by steps, breadth first, with the steps that reach it.
    static func reachable(_ kind: CaseKind) -> [(node: Node, path: [CaseTransitionRule])] {
        let machine = CaseMachine.machine(for: kind)
        let start = Node(state: .requested, carried: Carried())
        var found: [(node: Node, path: [CaseTransitionRule])] = [(start, [])]
        var seen: Set<Node> = [start]
        var next = 0
        while next < found.count {
            let (node, path) = found[next]
            next += 1
            for rule in machine.rules where self.canSend(rule, kind: kind, at: node, asStep: true) {
                let reached = self.after(rule, kind: kind, from: node)
                if seen.insert(reached).inserted { found.append((reached, path + [rule])) }
            }
        }
        return found
    }

    /// The shortest path of steps to a node where the driver can send `rule`; nil when none.
    static func path(to rule: CaseTransitionRule, kind: CaseKind) -> [CaseTransitionRule]? {
        self.reachable(kind).first { self.canSend(rule, kind: kind, at: $0.node, asStep: false) }?.path
    }

    /// The shortest path of steps to a case in `state`.
    static func path(to state: CaseState, kind: CaseKind) -> [CaseTransitionRule]? {
        self.reachable(kind).first { $0.node.state == state && $0.node.carried.opened }?.path
    }
}
