import AftercareAftersalesAPI
import AftercareRPC
import AftercareServiceKit

extension CaseApplication {
    /// The sizes of what a caller writes — the description and the evidence — checked before the
    /// gateway keeps anything of the call: INVALID_ARGUMENT naming the field, as aftersales would
    /// answer, without an intent left behind.
    static func checkSizes(description: String = "", evidence: [Aftercare_Aftersales_V1_EvidenceInput]) throws(RPCError) {
        try RequestCheck.optional(description, "description", maxLength: AftersalesLimits.description)
        guard evidence.count <= AftersalesLimits.evidence else {
            throw RPCError.invalidField("evidence", "at most \(AftersalesLimits.evidence) items, got \(evidence.count)")
        }
        for (index, item) in evidence.enumerated() {
            try RequestCheck.optional(item.uri, "evidence[\(index)].uri", maxLength: AftersalesLimits.uri)
            try RequestCheck.optional(item.text, "evidence[\(index)].text", maxLength: AftersalesLimits.text)
        }
    }
}
