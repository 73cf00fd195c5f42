/// An error from below the RPC layer (a service's storage, say) that knows which status, outcome
/// and message a call failing with it ends with. The runtime ends such a call with
/// ``rpcError(method:)`` — rather than `INTERNAL`, executed, naming the error's type — and logs it
/// with the original error as its cause.
public protocol RPCErrorConvertible: Error {
    /// The error the call ends with.
    /// - Parameter method: the call's full method name, for the message.
    func rpcError(method: String) -> RPCError
}
