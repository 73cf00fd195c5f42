extension SagaAction {
    /// One of two calls on the same participant, chosen from the saga's values: `first` when
    /// `useFirst` answers true, `second` otherwise (a step that reserves a refund amount or adjusts
    /// the reservation it already holds, say). The same values always choose the same call, so a
    /// retry sends the same request and a response — live or from `QueryStep` — is absorbed by the
    /// call that made it.
    ///
    /// - Precondition: both calls name the same participant (the one `QueryStep` asks).
    public static func choosing(
        _ useFirst: @escaping @Sendable (SagaValues) throws -> Bool, _ first: SagaAction, else second: SagaAction
    ) -> SagaAction {
        precondition(first.participant == second.participant, "a choice of calls must stay with one participant")
        return SagaAction(
            method: "\(first.method) | \(second.method)",
            participant: first.participant,
            call: { client, values, options in
                try await (try useFirst(values) ? first : second).call(client, values, options)
            },
            prepare: { values in try (try useFirst(values) ? first : second).prepare(values) },
            absorb: { bytes, values in try (try useFirst(values) ? first : second).absorb(bytes, &values) })
    }
}
