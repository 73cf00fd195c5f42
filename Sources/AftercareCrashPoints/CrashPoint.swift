/// A named instant at which a test can make a process die: the registry of every such instant in
/// the saga engine, the feed followers and each service's write path.
///
/// A point does nothing unless ``CrashPoints`` armed it (test mode only: the `crashAt` setting, or
/// the Operator's `ArmCrashPoint`); armed, the process kills itself with SIGKILL the moment a
/// matching context reaches it — no sleeps, no races with an outside killer. Each point says which
/// process passes it and what its context names, so a test can walk every point.
package struct CrashPoint: Hashable, Sendable, CustomStringConvertible {
    /// Which processes pass a point.
    package enum Process: String, Hashable, Sendable {
        /// The gateway (the saga engine, the event router).
        case gateway
        /// Every service a saga calls (orders, payments, logistics, aftersales, feedback).
        case participant
        /// Every process that follows a feed (`FeedFollower`): the gateway (its event router) and
        /// feedback (aftersales' feed).
        case followers
        /// Payments alone (its refunds through a provider).
        case payments
        /// Every process with a database: the gateway and every service.
        case every
    }

    /// The name a spec uses, e.g. `saga.call-sent`.
    package let name: String
    package let process: Process
    /// When the point is reached.
    package let summary: String
    /// What the context a pattern matches looks like, e.g. `<saga id>/<step>/<direction>`.
    package let context: String

    init(_ name: String, _ process: Process, _ summary: String, context: String) {
        self.name = name
        self.process = process
        self.summary = summary
        self.context = context
    }

    package var description: String { self.name }

    /// The context of a saga step's points: `<saga id>/<step>/<forward|compensate>`.
    package static func stepContext(_ sagaID: String, _ step: String, _ direction: some CustomStringConvertible) -> String {
        "\(sagaID)/\(step)/\(direction)"
    }

    /// The point named `name`, if the registry has it.
    package static func named(_ name: String) -> CrashPoint? {
        self.all.first { $0.name == name }
    }
}

extension CrashPoint {
    static let sagaStep = "<saga id>/<step>/<forward|compensate>"

    /// `PayOrder`'s payment is captured; orders have not been told.
    package static let payCaptured = CrashPoint(
        "gateway.pay-captured", .gateway, "PayOrder's payment is captured, before orders mark the order paid", context: "<order id>")
    /// The saga's row and its start are written; its driver has not run.
    package static let sagaStarted = CrashPoint(
        "saga.started", .gateway, "a saga's row and its start are written, before its first call", context: "<saga id>")
    /// A call's attempt is logged `sent`; the call has not left.
    package static let sagaCallLogged = CrashPoint(
        "saga.call-logged", .gateway, "a call's attempt is logged as sent, before the call leaves", context: sagaStep)
    /// The call's request is written to the participant's connection; no reply yet.
    package static let sagaCallSent = CrashPoint(
        "saga.call-sent", .gateway, "a call's request is written to the participant, before its reply", context: sagaStep)
    /// The participant's reply is in; the engine has not logged it.
    package static let sagaReplyReceived = CrashPoint(
        "saga.reply-received", .gateway, "a participant's reply is in, before the engine logs it", context: sagaStep)
    /// A step's outcome is logged and the saga moved on (in the same transaction, the next call's
    /// attempt `sent` when that call is due at once, or the phase's end); the next call has not left.
    package static let sagaStepLogged = CrashPoint(
        "saga.step-logged", .gateway, "a step's success is logged (with the next call's attempt when it is due at once), before the next call leaves",
        context: sagaStep)
    /// Compensation's start is logged; the first undo has not been logged.
    package static let sagaCompensating = CrashPoint(
        "saga.compensating", .gateway, "a saga's turn to compensation is logged, before its first undo", context: "<saga id>")
    /// Every handler has handled an event; the follower's cursor has not moved past it.
    package static let routerEventHandled = CrashPoint(
        "router.event-handled", .followers, "every handler has handled an event, before the follower's cursor moves past it",
        context: "<source>/<seq>/<event type>")
    /// A page of events is written (the writers' rows and the cursor) in its transaction, not committed.
    package static let routerPageUncommitted = CrashPoint(
        "router.page-uncommitted", .followers, "a page of feed events is written with the follower's cursor in its transaction, before the commit",
        context: "<source>/<first seq>-<last seq>")
    /// A saga step's write is done inside its transaction, not committed.
    package static let stepUncommitted = CrashPoint(
        "service.step-uncommitted", .participant, "a saga step's write is done in its transaction, before the commit", context: sagaStep)
    /// A saga step's write (and its ledger entry) is committed; the reply has not left.
    package static let stepCommitted = CrashPoint(
        "service.step-committed", .participant, "a saga step's write is committed, before the reply leaves", context: sagaStep)
    /// A write under an idempotency key is committed; the reply has not left.
    package static let keyedCommitted = CrashPoint(
        "service.keyed-committed", .participant, "a write under an idempotency key is committed, before the reply leaves",
        context: "<method>/<idempotency key>")

    /// A refund's intent is committed `pending`; its provider has not been asked.
    package static let refundOpened = CrashPoint(
        "payments.refund-opened", .payments, "a refund's intent is committed as pending, before its provider is asked",
        context: "<intent key>")
    /// The provider has answered a refund (paid or declined); payments has not written it down.
    package static let providerAnswered = CrashPoint(
        "payments.provider-answered", .payments, "a refund's provider has answered, before payments writes the answer down",
        context: "<intent key>")

    /// A group-commit batch's bodies have all run in its transaction; the batch is not committed.
    package static let databaseBatchUncommitted = CrashPoint(
        "database.batch-uncommitted", .every, "a group commit's bodies have all run in its transaction, before the commit",
        context: "<bodies in the batch>")

    /// Every point, in the order an order and then a saga meet them.
    package static let all: [CrashPoint] = [
        .payCaptured, .sagaStarted, .sagaCallLogged, .sagaCallSent, .stepUncommitted, .refundOpened, .providerAnswered, .stepCommitted,
        .sagaReplyReceived, .sagaStepLogged, .sagaCompensating, .routerEventHandled, .routerPageUncommitted, .keyedCommitted,
        .databaseBatchUncommitted,
    ]
}
