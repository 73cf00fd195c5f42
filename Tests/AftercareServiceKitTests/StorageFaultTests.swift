import AftercareRPC
import AftercareServiceKit
import GRDB
import Testing

/// Which database errors are storage faults, and the status, outcome and message a call failing
/// with one ends with.
@Suite("Storage faults")
struct StorageFaultTests {
    @Test("a full disk, an I/O error, a read-only or unopenable file: UNAVAILABLE with a retry hint, not executed, the cause named",
          arguments: [ResultCode.SQLITE_FULL, .SQLITE_IOERR_WRITE, .SQLITE_READONLY, .SQLITE_CANTOPEN])
    func unavailable(code: ResultCode) throws {
        let fault = try #require(StorageFault(DatabaseError(resultCode: code, message: "the message"), path: "/d/orders.sqlite"))
        let error = fault.rpcError(method: "aftercare.orders.v1.Orders/CreateOrder")
        #expect(error.code == .unavailable)
        #expect(error.outcome == .notExecuted)
        #expect(error.retryAfter == StorageFault.retryAfter)
        #expect(error.message.hasPrefix("aftercare.orders.v1.Orders/CreateOrder failed: storage fault: "))
        #expect(error.message.contains("(\(fault.cause.rawValue): the message); nothing was changed"))
        #expect("\(fault)".contains("/d/orders.sqlite"))
    }

    @Test("a damaged file is DATA_LOSS without a retry hint", arguments: [ResultCode.SQLITE_CORRUPT, .SQLITE_NOTADB])
    func damaged(code: ResultCode) throws {
        let error = try #require(StorageFault(DatabaseError(resultCode: code), path: "/d/x.sqlite")).rpcError(method: "M")
        #expect(error.code == .dataLoss)
        #expect(error.outcome == .notExecuted)
        #expect(error.retryAfter == nil)
    }

    @Test("a constraint, a busy database or another error is no storage fault")
    func notStorage() {
        #expect(StorageFault(DatabaseError(resultCode: .SQLITE_CONSTRAINT), path: "/x") == nil)
        #expect(StorageFault(DatabaseError(resultCode: .SQLITE_BUSY), path: "/x") == nil)
        #expect(StorageFault(RPCError(.internal, "x"), path: "/x") == nil)
    }

    @Test("after an effect outside the database, the outcome is unknown and the message says what happened")
    func afterExternalEffect() throws {
        let fault = try #require(StorageFault(DatabaseError(resultCode: .SQLITE_FULL), path: "/x"))
        let error = fault.afterExternalEffect("card answered the charge of payment pay_1, which stays pending").rpcError(method: "Pay")
        #expect(error.code == .unavailable)
        #expect(error.outcome == .unknown)
        #expect(error.message.hasSuffix("card answered the charge of payment pay_1, which stays pending; retry with the same idempotency key to finish it"))
    }
}
