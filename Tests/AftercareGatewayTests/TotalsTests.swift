import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import AftercareTesting
import Foundation
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// O / P / R (orders, paid, refunded) through `Gateway/GetTotals` and `aftercare totals`.
    @Suite("Totals")
    struct TotalsTests {
        @Test("a seller or buyer reads their own totals and no one else's; the platform reads anyone's or everyone's; the CLI prints them by period")
        func totals() async throws {
            try await GatewayWorld.run { world in
                // The world's seller: 50.00 paid, 30.00 paid and refunded, 10.00 never paid. Another seller: 20.00 paid.
                _ = try await world.paidOrder([("sku_tot_a", 1, 5_000)])
                let refunded = try await CLITests.refundCase(world, sku: "sku_tot_b", price: 3_000)
                #expect(refunded.record.state == "REFUNDED")
                _ = try await world.buyer().call(GatewayMethods.createOrder, GatewayWorld.orderRequest([("sku_tot_c", 1, 1_000)], shippingFee: 0))
                let other = try await world.buyer().call(
                    GatewayMethods.createOrder, GatewayWorld.orderRequest([("sku_tot_d", 2, 1_000)], shippingFee: 0, seller: "seller_other")).order
                _ = try await world.buyer().call(GatewayMethods.payOrder, .with { $0.orderID = other.orderID; $0.channel = .wechatPay })

                let own = try await world.seller().call(GatewayMethods.getTotals, .init(), key: nil)
                #expect(own.orders == 3)
                #expect(own.paid == [GatewayWorld.cny(8_000)])
                #expect(own.refunded == [GatewayWorld.cny(3_000)])
                try await expectStatus(.permissionDenied, containing: "party_id") {
                    _ = try await world.seller().call(GatewayMethods.getTotals, .with { $0.partyID = "seller_other" }, key: nil)
                }
                try await expectStatus(.permissionDenied, containing: "party_kind") {
                    _ = try await world.seller().call(GatewayMethods.getTotals, .with { $0.partyKind = .platform }, key: nil)
                }
                let buyer = try await world.buyer().call(GatewayMethods.getTotals, .init(), key: nil)
                #expect(buyer.orders == 4 && buyer.paid == [GatewayWorld.cny(10_000)])
                try await expectStatus(.permissionDenied, containing: "party_kind") {
                    _ = try await world.buyer().call(GatewayMethods.getTotals, .with { $0.partyKind = .seller }, key: nil)
                }

                let platform = try await world.support.call(GatewayMethods.getTotals, .init(), key: nil)
                #expect(platform.orders == 4)
                #expect(platform.paid == [GatewayWorld.cny(10_000)] && platform.refunded == [GatewayWorld.cny(3_000)])
                let oneSeller = try await world.support.call(
                    GatewayMethods.getTotals, .with { $0.partyKind = .seller; $0.partyID = "seller_other" }, key: nil)
                #expect(oneSeller.orders == 1 && oneSeller.paid == [GatewayWorld.cny(2_000)] && oneSeller.refunded.isEmpty)
                try await expectStatus(.invalidArgument, containing: "to_unix_micros") {
                    _ = try await world.support.call(GatewayMethods.getTotals, .with { $0.fromUnixMicros = 2; $0.toUnixMicros = 1 }, key: nil)
                }

                let cli = try await CLIProcess(world)
                let all = try await cli.json(["totals"])
                #expect(all["totals", "orders"] as? Int == 4)
                let today = Self.utcDay(Date())
                let seller = try await cli.json(["totals", "--seller", GatewayWorld.seller, "--from", today, "--to", today])
                #expect(seller["totals", "orders"] as? Int == 3)
                #expect((seller["totals", "refunded"] as? [[String: Any]])?.first?["amount_minor"] as? Int == 3_000)
                let past = try await cli.json(["totals", "--from", "2001-01-01", "--to", "2001-01-31T12:00:00Z"])
                #expect(past["totals", "orders"] == nil, "proto3 JSON leaves a zero out")
                #expect(past["request", "to_unix_micros"] as? Int == 980_942_400_000_000)

                let text = try await cli.run(["totals", "--seller", GatewayWorld.seller])
                #expect(text.status == 0)
                #expect(text.output.contains("totals seller \(GatewayWorld.seller)") && text.output.contains("orders created 3"), "\(text.output)")
                let row = text.output.split(separator: "\n").first { $0.contains("80.00 CNY") }
                #expect(row?.contains("30.00 CNY") == true && row?.contains("37.5 %") == true, "\(text.output)")
                let bad = try await cli.run(["totals", "--from", "yesterday"])
                #expect(bad.status != 0 && bad.errors.contains("--from"), "\(bad.errors)")
            }
        }

        /// `YYYY-MM-DD` of `date` in UTC.
        static func utcDay(_ date: Date) -> String {
            date.formatted(Date.ISO8601FormatStyle().year().month().day())
        }
    }
}
