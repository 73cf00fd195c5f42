import AftercareAftersalesAPI
import AftercareFeedbackAPI
import AftercareLogisticsAPI
import AftercareRPC
import AftercareServiceKit
import Foundation

/// The short sentence an inbox shows for an event.
enum InboxSummary {
    static func sentence(for event: Aftercare_Common_V1_Event) -> String {
        if let change = event.payload(as: Aftercare_Aftersales_V1_CaseChanged.self) {
            return self.caseSentence(change, type: event.type)
        }
        if let change = event.payload(as: Aftercare_Logistics_V1_ShipmentChanged.self) {
            return self.shipmentSentence(change, type: event.type)
        }
        if let attention = event.payload(as: Aftercare_Feedback_V1_Attention.self), !attention.summary.isEmpty {
            return attention.summary
        }
        if let change = event.payload(as: Aftercare_Feedback_V1_ReviewChanged.self) {
            return "Review \(change.review.reviewID) of order \(change.review.orderID): \(self.what(event.type))"
        }
        return self.genericSentence(event)
    }

    private static func caseSentence(_ change: Aftercare_Aftersales_V1_CaseChanged, type: String) -> String {
        let record = change.record
        switch type {
        case AftersalesEventTypes.opened:
            return "Case \(record.caseID) opened on order \(record.orderID) (\(record.state))"
        case AftersalesEventTypes.closed:
            return "Case \(record.caseID) closed: \(record.state)"
        default:
            let entry = change.entry
            if entry.fromState == entry.toState || entry.toState.isEmpty {
                return "Case \(record.caseID): \(entry.event)"
            }
            return "Case \(record.caseID): \(entry.event) (\(entry.fromState) → \(entry.toState))"
        }
    }

    private static func shipmentSentence(_ change: Aftercare_Logistics_V1_ShipmentChanged, type: String) -> String {
        let shipment = change.shipment
        let kind: String
        switch shipment.kind {
        case .return: kind = "Return shipment"
        case .replacement: kind = "Replacement shipment"
        case .backToBuyer: kind = "Shipment back to the buyer"
        default: kind = "Shipment"
        }
        return "\(kind) \(shipment.shipmentID) of order \(shipment.orderID) (\(shipment.carrier) \(shipment.trackingNumber)): \(self.what(type))"
    }

    /// "Payment pay_1: captured", from the type's record and the subject of that record.
    private static func genericSentence(_ event: Aftercare_Common_V1_Event) -> String {
        let parts = event.type.split(separator: ".")
        let record = parts.count >= 3 ? String(parts[1]) : event.type
        let subject: String
        switch record {
        case "order": subject = event.subjects.orderID
        case "payment": subject = event.subjects.paymentID
        case "refund": subject = event.subjects.refundID
        case "reservation": subject = event.subjects.caseID
        default: subject = ""
        }
        let name = record.replacingOccurrences(of: "_", with: " ").capitalizedFirst
        return subject.isEmpty ? "\(name): \(self.what(event.type))" : "\(name) \(subject): \(self.what(event.type))"
    }

    /// The type's last part, in words: `label_voided` → "label voided".
    private static func what(_ type: String) -> String {
        (type.split(separator: ".").last.map(String.init) ?? type).replacingOccurrences(of: "_", with: " ")
    }
}

extension String {
    fileprivate var capitalizedFirst: String { self.prefix(1).uppercased() + self.dropFirst() }
}
