import AftercareAftersalesAPI
import AftercareRPC
import AftercareServiceKit

/// Decisions: explain, replay, dry-run a candidate policy, and the policy in force. None changes
/// anything.
extension AftersalesService {
    func registerDecisions(in router: inout RPCRouter) {
        router.unary(AftersalesMethods.explainDecision) { request, _ in
            guard request.caseID.isEmpty != request.decisionID.isEmpty else {
                throw RPCError.invalidField("case_id", "exactly one of case_id and decision_id is required")
            }
            return try await self.database.snapshot { db in
                var decisionID = request.decisionID
                if !request.caseID.isEmpty {
                    try RequestCheck.required(request.caseID, "case_id")
                    let record = try self.cases.load(request.caseID, in: db)
                    guard let decision = record.decision else {
                        throw RPCError.failedPrecondition("case \(record.caseID) has no decision")
                    }
                    decisionID = decision.decisionID
                }
                try RequestCheck.required(decisionID, "decision_id")
                return try Self.message(try self.storedDecision(decisionID, in: db))
            }
        }
        router.unary(AftersalesMethods.replayDecision) { request, _ in
            try RequestCheck.required(request.decisionID, "decision_id")
            return try await self.database.snapshot { db in
                let stored = try self.storedDecision(request.decisionID, in: db)
                guard let source = try self.cases.store.policySource(fingerprint: stored.decision.policyFingerprint, in: db) else {
                    throw RPCError.failedPrecondition(
                        "decision \(stored.decisionID): policy \(stored.decision.policyVersion) (\(stored.decision.policyFingerprint)) is not kept")
                }
                let policy = try ReviewPolicy.load(yaml: source)
                var replayed = stored
                replayed.decision = try policy.replay(stored.decision)
                var response = Aftercare_Aftersales_V1_ReplayDecisionResponse()
                response.stored = try Self.message(stored)
                response.replayed = try Self.message(replayed)
                response.equal = replayed.decision == stored.decision
                return response
            }
        }
        router.unary(AftersalesMethods.dryRunPolicy) { request, _ in
            let limit = try AftersalesRequestCheck.dryRun(request)
            let candidate: ReviewPolicy
            do throws(PolicyError) {
                candidate = try ReviewPolicy.load(yaml: request.policyYaml)
            } catch {
                throw RPCError.invalidField("policy_yaml", error.description)
            }
            return try await self.database.snapshot { db in
                let decisions = try self.cases.store.decisions(
                    fromMicros: request.fromUnixMicros == 0 ? nil : request.fromUnixMicros,
                    toMicros: request.toUnixMicros == 0 ? nil : request.toUnixMicros, limit: limit, in: db)
                var response = Aftercare_Aftersales_V1_DryRunPolicyResponse()
                response.candidateVersion = candidate.version
                response.candidateFingerprint = candidate.fingerprint
                response.examined = UInt32(decisions.count)
                for stored in decisions {
                    guard let change = candidate.dryRun(over: [stored.decision]).first else { continue }
                    var message = Aftercare_Aftersales_V1_DecisionChange()
                    message.caseID = stored.caseID
                    message.decisionID = stored.decisionID
                    message.beforeOutcome = change.before.outcome.rawValue
                    message.afterOutcome = change.after.outcome.rawValue
                    message.beforeSellerMayRefuse = change.before.sellerMayRefuse
                    message.afterSellerMayRefuse = change.after.sellerMayRefuse
                    message.beforeRule = change.before.decidingRule
                    message.afterRule = change.after.decidingRule
                    message.afterSentence = change.after.sentence
                    response.changes.append(message)
                }
                return response
            }
        }
        router.unary(AftersalesMethods.getPolicy) { _, _ in
            let policy = self.cases.policy
            var info = Aftercare_Aftersales_V1_PolicyInfo()
            info.version = policy.version
            info.fingerprint = policy.fingerprint
            info.yaml = policy.source
            for timer in CaseTimer.allCases { info.timerSeconds[timer.rawValue] = policy.seconds(of: timer) }
            return info
        }
    }

    /// The case as OpenCase and GetCase answer it: ``Cases/answer(_:in:)`` with its decision explained
    /// (`made`: the decision this call stored, if any, used rather than read back).
    func explainedAnswer(
        _ record: CaseRecord, decision made: AftersalesStore.StoredDecision? = nil, in db: any SQLConnection
    ) throws -> Aftercare_Aftersales_V1_CaseResponse {
        var response = try self.cases.answer(record, in: db)
        if let decision = record.decision {
            // The decision this call made and stored is in hand; any other is read back.
            let stored = if let made, made.decisionID == decision.decisionID { made } else { try self.storedDecision(decision.decisionID, in: db) }
            response.decision = try Self.message(stored)
        }
        return response
    }

    private func storedDecision(_ decisionID: String, in db: any SQLConnection) throws -> AftersalesStore.StoredDecision {
        guard let stored = try self.cases.store.decision(decisionID, in: db) else {
            throw RPCError.notFound("decision_id", kind: "decision", id: decisionID)
        }
        return stored
    }

    static func message(_ stored: AftersalesStore.StoredDecision) throws -> Aftercare_Aftersales_V1_Decision {
        let decision = stored.decision
        var message = Aftercare_Aftersales_V1_Decision()
        message.decisionID = stored.decisionID
        message.caseID = stored.caseID
        message.policyVersion = decision.policyVersion
        message.policyFingerprint = decision.policyFingerprint
        message.outcome = decision.outcome.rawValue
        message.decidingRule = decision.decidingRule
        message.sellerMayRefuse = decision.sellerMayRefuse
        message.sentence = decision.sentence
        message.rules = decision.rules.map { rule in
            var evaluation = Aftercare_Aftersales_V1_RuleEvaluation()
            evaluation.ruleID = rule.ruleID
            evaluation.fired = rule.fired
            evaluation.outcome = rule.outcome.rawValue
            evaluation.why = rule.why
            return evaluation
        }
        message.factsJson = try decision.facts.json()
        message.explanation = decision.explanation
        message.decidedAtUnixMicros = stored.decidedAtMicros
        return message
    }
}
