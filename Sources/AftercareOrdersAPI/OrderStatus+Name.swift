extension Aftercare_Orders_V1_OrderStatus {
    /// The name orders store and show, and the one an application's facts carry: `created`,
    /// `paid`, `shipped`, `delivered`, `completed`, `cancelled` or `cancelling`.
    public var name: String {
        switch self {
        case .unspecified: "unspecified"
        case .created: "created"
        case .paid: "paid"
        case .shipped: "shipped"
        case .delivered: "delivered"
        case .completed: "completed"
        case .cancelled: "cancelled"
        case .cancelling: "cancelling"
        case .UNRECOGNIZED(let value): "unrecognized(\(value))"
        }
    }
}
