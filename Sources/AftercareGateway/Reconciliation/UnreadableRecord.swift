import AftercareGatewayAPI
import AftercareRPC

/// A service refused or did not answer a reconciliation read: the record being read is reported
/// `unreadable` (naming the service and its answer) and left out of the comparisons, and the pass
/// goes on with the rest.
struct UnreadableRecord: Error {
    /// The service that did not tell.
    let service: String
    let error: RPCError

    /// The `unreadable` disagreement about `record`.
    func disagreement(_ record: Aftercare_Gateway_V1_RecordRef) -> Aftercare_Gateway_V1_Disagreement {
        ReconcileChecks.disagreement(
            "unreadable", "\(record.kind) \(record.id) was not compared: \(self.service) answered \(self.error.code): \(self.error.message)",
            [record])
    }
}
