package import AftercareServiceKit

extension ServiceMigrations {
    /// Feedback's migrations (``AftercareServiceKit/SQLMigrations/feedback``), for its SQLite database.
    package static let feedback = ServiceMigrations(portable: .feedback)
}

extension SQLMigrations {
    /// Feedback's tables: reviews (one per order line, with T_review's deadline and pause), the
    /// cases on order lines (from aftersales' feed), platform feedback, and the cursor of that feed. Lists (tags, reasons,
    /// flags) are JSON text. Registered once, run on SQLite and on PostgreSQL.
    package static let feedback: SQLMigrations = {
        var migrations = SQLMigrations()
        migrations.register("feedback-v1") { db in
            try db.executeScript("""
                CREATE TABLE reviews (
                    review_id TEXT PRIMARY KEY,
                    order_id TEXT NOT NULL,
                    line_id TEXT NOT NULL,
                    delivery_id TEXT NOT NULL,
                    product_id TEXT NOT NULL,
                    buyer_id TEXT NOT NULL,
                    seller_id TEXT NOT NULL,
                    state TEXT NOT NULL,
                    reply_state TEXT NOT NULL,
                    follow_up_state TEXT NOT NULL,
                    appeal_state TEXT NOT NULL,
                    delivered_at BIGINT NOT NULL,
                    promised_delivery_at BIGINT NOT NULL,
                    review_deadline BIGINT NOT NULL,
                    timer_paused_at BIGINT,
                    stars INTEGER NOT NULL,
                    score_item_as_described INTEGER NOT NULL,
                    score_seller_service INTEGER NOT NULL,
                    score_delivery_speed INTEGER NOT NULL,
                    comment TEXT NOT NULL,
                    tags TEXT NOT NULL,
                    classification TEXT,
                    reasons TEXT NOT NULL,
                    flags TEXT NOT NULL,
                    published_at BIGINT,
                    follow_up TEXT NOT NULL,
                    followed_up_at BIGINT,
                    reply TEXT NOT NULL,
                    replied_at BIGINT,
                    appeal_reason TEXT,
                    appeal_explanation TEXT NOT NULL,
                    appealed_at BIGINT,
                    ruling_note TEXT NOT NULL,
                    ruled_at BIGINT,
                    expired_at BIGINT,
                    removed_at BIGINT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    UNIQUE (order_id, line_id)
                );
                CREATE INDEX reviews_by_seller ON reviews (seller_id, review_id);
                CREATE INDEX reviews_by_buyer ON reviews (buyer_id, review_id);
                CREATE INDEX reviews_by_product ON reviews (product_id, review_id);
                CREATE INDEX reviews_due ON reviews (state, review_deadline);
                CREATE TABLE line_cases (
                    case_id TEXT PRIMARY KEY,
                    order_id TEXT NOT NULL,
                    line_id TEXT NOT NULL,
                    opened_at BIGINT NOT NULL,
                    closed_at BIGINT
                );
                CREATE INDEX line_cases_by_line ON line_cases (order_id, line_id);
                CREATE TABLE platform_feedback (
                    feedback_id TEXT PRIMARY KEY,
                    buyer_id TEXT NOT NULL,
                    order_id TEXT NOT NULL,
                    stars INTEGER NOT NULL,
                    score_purchase_smoothness INTEGER NOT NULL,
                    score_support_helpfulness INTEGER NOT NULL,
                    comment TEXT NOT NULL,
                    tags TEXT NOT NULL,
                    classification TEXT NOT NULL,
                    flags TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                );
                CREATE INDEX platform_feedback_by_buyer ON platform_feedback (buyer_id, feedback_id);
                """)
        }
        // A case may cover several lines of its order: one row per case and line, in `feedback_line_cases`.
        // `line_cases` (one row per case) is superseded; its rows are copied and it is left as it
        // was, unread, so this migration stays a plain create-and-copy.
        migrations.register("feedback-v2-line-cases-per-line") { db in
            try db.executeScript("""
                CREATE TABLE feedback_line_cases (
                    case_id TEXT NOT NULL,
                    line_id TEXT NOT NULL,
                    order_id TEXT NOT NULL,
                    opened_at BIGINT NOT NULL,
                    closed_at BIGINT,
                    PRIMARY KEY (case_id, line_id)
                );
                CREATE INDEX feedback_line_cases_by_line ON feedback_line_cases (order_id, line_id);
                INSERT INTO feedback_line_cases (case_id, line_id, order_id, opened_at, closed_at)
                    SELECT case_id, line_id, order_id, opened_at, closed_at FROM line_cases;
                """)
        }
        // Feedback follows aftersales' feed itself (AftersalesFeed): its cursor, moved in the
        // transaction that applies the events up to it.
        AftersalesFeed.register(in: &migrations)
        return migrations
    }()
}
