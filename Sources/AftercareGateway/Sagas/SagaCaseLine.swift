import AftercareRPC
import SwiftProtobuf
import AftercareAftersalesAPI
import AftercareOrdersAPI
import Foundation

/// A case line as a saga keeps it: what was asked for and what the inspection found.
struct SagaCaseLine: Codable, Sendable, Hashable {
    var lineID: String
    var sku: String
    var quantity: Int64
    var unitPriceMinor: Int64
    /// Whether the seller (or a timer) inspected it; the counts below are meaningful only then.
    var inspected: Bool
    var receivedOK: Int64
    var damaged: Int64

    init(_ line: Aftercare_Aftersales_V1_CaseLine) {
        self.lineID = line.lineID
        self.sku = line.sku
        self.quantity = line.quantity
        self.unitPriceMinor = line.unitPrice.amountMinor
        self.inspected = line.acceptance != .pending
        self.receivedOK = line.receivedOk
        self.damaged = line.damaged
    }

    static func encode(_ lines: [SagaCaseLine]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(lines), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> [SagaCaseLine] {
        try JSONDecoder().decode([SagaCaseLine].self, from: Data(text.utf8))
    }

    /// What a committed refund books on the line: an inspected line refunds its units received in
    /// order and records those and the damaged ones as returned; a line never inspected (refund
    /// only, a lost return, an amount agreed while keeping the item) refunds every unit asked for
    /// and records none returned. `nil` when it books nothing.
    var commit: Aftercare_Orders_V1_CommitRefundLine? {
        let refunded = self.inspected ? self.receivedOK : self.quantity
        let returned = self.inspected ? self.receivedOK + self.damaged : 0
        guard refunded > 0 || returned > 0 else { return nil }
        return .with {
            $0.lineID = self.lineID
            $0.refundedQuantity = refunded
            $0.returnedQuantity = returned
        }
    }

    /// The units to restock: only those received in order.
    var restock: Aftercare_Orders_V1_ReservationLine? {
        guard self.inspected, self.receivedOK > 0 else { return nil }
        return .with {
            $0.lineID = self.lineID
            $0.quantity = self.receivedOK
        }
    }

    /// Every unit came back in order (an exchange's returned item goes back on sale).
    var allReceivedOK: Bool { self.inspected && self.receivedOK == self.quantity }
}
