public import AftercareServiceKit

extension ServiceMigrations {
    /// Logistics' migrations (``AftercareServiceKit/SQLMigrations/logistics``), for its SQLite database.
    public static let logistics = ServiceMigrations(portable: .logistics)
}

extension SQLMigrations {
    /// Logistics' tables: shipments, their history (carrier events unique per carrier) and the
    /// tracking numbers in use (unique per carrier). Registered once, run on SQLite and on
    /// PostgreSQL.
    package static let logistics: SQLMigrations = {
        var migrations = SQLMigrations()
        migrations.register("logistics-v1") { db in
            try db.executeScript("""
                CREATE TABLE shipments (
                    shipment_id TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    state TEXT NOT NULL,
                    order_id TEXT NOT NULL,
                    case_id TEXT NOT NULL,
                    buyer_id TEXT NOT NULL,
                    seller_id TEXT NOT NULL,
                    carrier TEXT NOT NULL,
                    tracking_number TEXT NOT NULL,
                    tracking_source TEXT NOT NULL,
                    label_carrier TEXT,
                    label_tracking_number TEXT,
                    label_created_at BIGINT,
                    label_voided_at BIGINT,
                    sender_address TEXT NOT NULL,
                    recipient_address TEXT NOT NULL,
                    cancel_reason TEXT NOT NULL,
                    picked_up_at BIGINT,
                    delivered_at BIGINT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                );
                CREATE INDEX shipments_by_order ON shipments (order_id, created_at);
                CREATE TABLE tracking_numbers (
                    carrier TEXT NOT NULL,
                    tracking_number TEXT NOT NULL,
                    shipment_id TEXT NOT NULL REFERENCES shipments (shipment_id),
                    source TEXT NOT NULL,
                    voided_at BIGINT,
                    created_at BIGINT NOT NULL,
                    PRIMARY KEY (carrier, tracking_number)
                );
                CREATE TABLE shipment_events (
                    shipment_id TEXT NOT NULL REFERENCES shipments (shipment_id),
                    seq BIGINT NOT NULL,
                    kind TEXT NOT NULL,
                    effect TEXT NOT NULL,
                    carrier TEXT,
                    carrier_event_id TEXT,
                    tracking_number TEXT,
                    occurred_at BIGINT NOT NULL,
                    recorded_at BIGINT NOT NULL,
                    location TEXT NOT NULL,
                    description TEXT NOT NULL,
                    note TEXT NOT NULL,
                    PRIMARY KEY (shipment_id, seq),
                    UNIQUE (carrier, carrier_event_id)
                );
                """)
        }
        return migrations
    }()
}
