import AftercareAftersalesAPI
package import AftercareRPC
package import AftercareServiceKit
package import Logging

/// Applies aftersales' case events to feedback's cases on order lines: the writer of feedback's
/// follower of aftersales' feed (``AftersalesFeed``), so what an event changes commits in the
/// page's transaction together with the cursor past it — each event takes effect exactly once.
/// - `aftersales.case.opened` → the case opened on each line of the case: the first open case of
///   a line's ELIGIBLE review pauses its T_review (what `RecordCaseOpened` does);
/// - `aftersales.case.closed` → the case closed on each of its lines: a review whose line has no
///   case left open resumes its T_review (what `RecordCaseClosed` does).
///
/// Applying an event a second time (a page delivered again, a feed replayed from a reset cursor)
/// changes nothing: cases are kept by case and line. An event feedback cannot apply — a case
/// recorded on another order, or closed but never seen opened (a feed that starts after it) — is
/// logged and passed over rather than stopping the feed.
package struct AftersalesCaseWriter: EventWriter {
    let reviews: Reviews
    let logger: Logger

    /// - Parameters:
    ///   - clock: feedback's clock: stamps the cases and the reviews' timers.
    ///   - feed: feedback's feed, which gets `feedback.case.opened` / `feedback.case.closed`.
    ///   - logger: what each event changed, and what was passed over.
    package init(clock: ServiceClock, feed: EventFeed, logger: Logger) {
        self.reviews = Reviews(store: FeedbackStore(), feed: feed, clock: clock)
        self.logger = logger
    }

    /// Applies the case events of `events`, in feed order, in `db` (the page's transaction).
    /// - Parameters:
    ///   - events: a page of aftersales' feed.
    ///   - now: the follower's clock (the cases are stamped by feedback's clock as they apply).
    ///   - db: the page's write transaction, which also moves the cursor.
    package func write(_ events: [Aftercare_Common_V1_Event], atMicros now: Int64, in db: any SQLConnection) throws {
        for event in events where event.type == AftersalesEventTypes.opened || event.type == AftersalesEventTypes.closed {
            guard let record = event.payload(as: Aftercare_Aftersales_V1_CaseChanged.self)?.record, !record.caseID.isEmpty else {
                self.passOver(event, "no case in its payload")
                continue
            }
            let origin = CaseFactOrigin.event(event, logger: self.logger)
            let recorded = try self.reviews.store.lineCases(record.caseID, in: db)
            if event.type == AftersalesEventTypes.opened {
                if let other = recorded.first(where: { $0.orderID != record.orderID }) {
                    self.passOver(event, "case \(record.caseID) was recorded on order \(other.orderID), not \(record.orderID)")
                    continue
                }
                for line in record.lines where !line.lineID.isEmpty {
                    _ = try self.reviews.caseOpened(caseID: record.caseID, orderID: record.orderID, lineID: line.lineID, origin: origin, in: db)
                }
            } else {
                guard !recorded.isEmpty else {
                    self.passOver(event, "case \(record.caseID) was never recorded as opened")
                    continue
                }
                _ = try self.reviews.caseClosed(caseID: record.caseID, origin: origin, in: db)
            }
        }
    }

    private func passOver(_ event: Aftercare_Common_V1_Event, _ why: String) {
        self.logger.warning(
            "an aftersales case event does not apply to feedback's cases; passed over",
            metadata: ["event.id": "\(event.eventID)", "event.seq": "\(event.seq)", "event.type": "\(event.type)", "reason": "\(why)"])
    }
}
