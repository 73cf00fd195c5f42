import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareTesting
import Testing

extension GatewayExecutableTests {
    /// The `aftercare` CLI against the six executables: every command's `--json` parsed and checked.
    @Suite("The aftercare CLI")
    struct CLITests {
        /// Payments declining every refund of an amount ending in 99, and the first refund of a
        /// charge for one ending in 98.
        static let declining = ["payments": ["--payments-simulator-decline-amounts-ending-in", "99", "--payments-simulator-decline-first-refund-ending-in", "98"]]

        /// A refund-only case of one unit at `price` (plus `shippingFee`), waited on until its saga ended
        /// (or stuck) and the case moved on.
        static func refundCase(_ world: GatewayWorld, sku: String, price: Int64, shippingFee: Int64 = 0) async throws -> Aftercare_Gateway_V1_CaseView {
            let order = try await world.paidOrder([(sku, 1, price)], shippingFee: shippingFee)
            let caseID = try await world.apply(.refundOnly, order, reason: .other).record.caseID
            // The case and its sagas are read one after the other: wait for both to have settled.
            return try await world.caseView(caseID) { view in
                !view.sagas.isEmpty && !view.sagas.contains { $0.state == "running" || $0.state == "compensating" }
                    && (!["APPROVED", "REFUNDING"].contains(view.record.state) || view.sagas.contains { $0.state == "stuck" })
            }
        }

        @Test("saga list (state, kind, age, case), show with every step's spans (also after a restart), retry, watch and resolve")
        func sagaCommands() async throws {
            try await GatewayWorld.run { world in
                let cli = try await CLIProcess(world)
                try await StepRefusalTests.faults(world, "garble-request orders/CommitRefund #1\ngarble-request orders/CommitRefund #2")
                let first = try await Self.refundCase(world, sku: "sku_cli_a", price: 3_000)
                let second = try await Self.refundCase(world, sku: "sku_cli_b", price: 3_100)
                try await StepRefusalTests.faults(world, "")
                let sagaA = try #require(first.sagas.last?.sagaID)
                let sagaB = try #require(second.sagas.last?.sagaID)
                #expect(first.sagas.last?.state == "stuck")

                let stuck = try await cli.json(["saga", "list", "--state", "stuck"]).list("sagas")
                #expect(Set(stuck.map { $0.string("saga_id") }) == [sagaA, sagaB])
                #expect(stuck.allSatisfy { $0.string("state") == "stuck" && $0.string("definition") == "Refund" })
                #expect(stuck.map { $0.string("saga_id") } == [sagaB, sagaA], "newest first")
                #expect(try await cli.json(["saga", "list", "--kind", "refund", "--newer-than", "1h"]).list("sagas").count == 2)
                #expect(try await cli.json(["saga", "list", "--kind", "return-setup"]).list("sagas").isEmpty)
                #expect(try await cli.json(["saga", "list", "--older-than", "1h"]).list("sagas").isEmpty)
                #expect(try await cli.json(["saga", "list", "--state", "waiting"]).list("sagas").isEmpty)
                #expect(try await cli.json(["saga", "list", "--case-id", first.record.caseID]).list("sagas").map { $0.string("saga_id") } == [sagaA])
                #expect(try await cli.json(["saga", "list", "--limit", "1"]).list("sagas").count == 1)
                let badState = try await cli.run(["saga", "list", "--state", "sleeping", "--json"])
                #expect(badState.status == 1)
                #expect(badState.errors.contains("INVALID_ARGUMENT") && badState.errors.contains("state"), "\(badState.errors)")

                let shown = try await cli.json(["saga", "show", sagaA])
                #expect(shown.string("saga", "saga", "state") == "stuck")
                try Self.expectSpansUnderEveryStep(shown, refused: "commit_refund")

                // The same timeline once every process has been killed and restarted: the spans are in the databases.
                for name in GatewayWorld.serviceNames + ["gateway"] { try await world.restart(name, kill: true) }
                let cliAfter = try await CLIProcess(world)
                try Self.expectSpansUnderEveryStep(try await cliAfter.json(["saga", "show", sagaA]), refused: "commit_refund")
                // Wide enough for each span's label to name its service.
                let text = try await cliAfter.run(["saga", "show", sagaA, "--width", "200"])
                #expect(text.status == 0)
                #expect(text.output.contains("commit_refund") && text.output.contains("span aftercare-orders Orders/ReserveRefund"), "\(text.output)")
                #expect(!text.output.contains("\u{1B}"), "no colour off a terminal")

                let retried = try await cliAfter.json(["saga", "retry", sagaA, "--reason", "orders fixed"])
                let events = (retried["saga", "events"] as? [[String: Any]]) ?? []
                #expect(events.contains { $0.string("kind") == "retried" && $0.string("reason").contains("operator:cli_test: orders fixed") }, "\(events)")
                let watched = try await cliAfter.run(["saga", "watch", sagaA, "--json", "--interval-ms", "100", "--for-seconds", "30"])
                #expect(watched.status == 0, "\(watched.errors)")
                let frames = try watched.jsonLines()
                #expect(frames.last?.string("saga", "saga", "state") == "completed")
                #expect(try await world.caseView(first.record.caseID).record.state == "REFUNDED")

                let resolved = try await cliAfter.json(["saga", "resolve", sagaB, "--reason", "refunded by hand"])
                #expect(resolved.string("saga", "saga", "state") == "resolved")
                let again = try await cliAfter.run(["saga", "resolve", sagaB, "--reason", "twice", "--json"])
                #expect(again.status == 1)
                #expect(again.errors.contains("FAILED_PRECONDITION"), "\(again.errors)")
                let missingReason = try await cliAfter.run(["saga", "resolve", sagaB])
                #expect(missingReason.status != 0 && missingReason.errors.contains("--reason"))
            }
        }

        /// Every step that ran has, under each of its calls that reached a service, the span that
        /// service recorded for that very attempt; the refused step's span carries its status.
        static func expectSpansUnderEveryStep(_ shown: [String: Any], refused: String) throws {
            let sections = shown["timeline"] as? [[String: Any]] ?? []
            #expect(sections.map { $0.string("step") } == ["reserve_refund", "record_refunding", "refund", refused])
            let participants = ["reserve_refund": "orders", "record_refunding": "aftersales", "refund": "payments", "commit_refund": "orders"]
            for section in sections {
                let step = section.string("step")
                for entry in section["attempts"] as? [[String: Any]] ?? [] {
                    let spans = entry["spans"] as? [[String: Any]] ?? []
                    #expect(spans.count == 1, "\(step): \(spans)")
                    #expect(spans.first?.string("service") == "aftercare-\(participants[step] ?? "?")")
                    #expect(spans.first?.string("saga", "step") == step)
                    let code = spans.first?["status_code"] as? Int ?? 0
                    #expect((step == refused) == (code != 0), "\(step): status \(code)")
                }
            }
        }

        @Test("case show, retry-refund, payout and close on failed refunds; each action recorded")
        func caseCommands() async throws {
            try await GatewayWorld.run(arguments: Self.declining) { world in
                let cli = try await CLIProcess(world)
                let once = try await Self.refundCase(world, sku: "sku_cli_98", price: 12_998)
                let always = try await Self.refundCase(world, sku: "sku_cli_99", price: 19_999, shippingFee: 1)
                let closing = try await Self.refundCase(world, sku: "sku_cli_99b", price: 29_999, shippingFee: 1)
                for view in [once, always, closing] { #expect(view.record.state == "REFUND_FAILED", "\(view.sagas.map { "\($0.definition) \($0.state) \($0.reason)" })") }

                let retried = try await cli.json(["case", "retry-refund", once.record.caseID, "--reason", "balance topped up"])
                #expect(retried.string("case", "record", "case_id") == once.record.caseID)
                let refunded = try await world.caseView(once.record.caseID, while: ["REFUND_FAILED", "REFUND_APPROVED", "REFUNDING"])
                #expect(refunded.record.state == "REFUNDED")
                let shown = try await cli.json(["case", "show", once.record.caseID])
                #expect(shown.string("case", "record", "state") == "REFUNDED")
                #expect(!shown.string("case", "decision", "explanation").isEmpty)
                let history = (shown["case", "history"] as? [[String: Any]] ?? []).map { $0.string("event") }
                #expect(history.contains("saga Refund: refunded"), "\(history)")
                let sagas = (shown["sagas"] as? [[String: Any]] ?? []).map { $0.string("saga", "state") }
                #expect(sagas == ["compensated", "completed"])
                let text = try await cli.run(["case", "show", once.record.caseID])
                #expect(text.output.contains("history") && text.output.contains("decision") && text.output.contains("Refund"), "\(text.output)")

                let paidOut = try await cli.json(["case", "payout", always.record.caseID, "--reference", "BANK-77", "--idempotency-key", "payout-77"])
                #expect(paidOut.string("case", "record", "case_id") == always.record.caseID)
                #expect(try await world.caseView(always.record.caseID, while: ["REFUND_FAILED", "REFUND_APPROVED", "REFUNDING"]).record.state == "REFUNDED")
                let order = try await cli.json(["order", "show", always.record.orderID])
                let refunds = (order["order", "refunds"] as? [[String: Any]] ?? []).map { "\($0.string("status")) \($0.string("channel"))" }
                #expect(refunds.contains("REFUND_SUCCEEDED MANUAL"), "\(refunds)")

                let closed = try await cli.json(["case", "close", closing.record.caseID, "--reason", "buyer agreed to store credit"])
                #expect(closed.string("case", "record", "state") == "CLOSED_REJECTED")
                let refusedAgain = try await cli.run(["case", "retry-refund", closing.record.caseID, "--json"])
                #expect(refusedAgain.status == 1)
                #expect(refusedAgain.errors.contains("FAILED_PRECONDITION"), "\(refusedAgain.errors)")
                #expect(try await cli.run(["case", "close", closing.record.caseID]).status != 0, "--reason is required")
            }
        }

        @Test("trace, order show, health and reconcile; health and reconcile exit 1 when something is wrong")
        func systemCommands() async throws {
            try await GatewayWorld.run { world in
                let cli = try await CLIProcess(world)
                let view = try await Self.refundCase(world, sku: "sku_cli_sys", price: 4_400)
                let saga = try #require(view.sagas.last)

                let trace = try await cli.json(["trace", saga.traceID])
                let services = (trace["trace", "services"] as? [[String: Any]] ?? [])
                #expect(services.map { $0.string("service") } == ["gateway"] + GatewayWorld.serviceNames.sorted())
                let spanned = Set(services.filter { !($0["spans"] as? [Any] ?? []).isEmpty }.map { $0.string("service") })
                #expect(spanned.isSuperset(of: ["orders", "payments", "aftersales"]), "\(spanned)")
                let badTrace = try await cli.run(["trace", "xyz", "--json"])
                #expect(badTrace.status == 1 && badTrace.errors.contains("INVALID_ARGUMENT"), "\(badTrace.errors)")

                let order = try await cli.json(["order", "show", view.record.orderID])
                #expect(order.string("order", "order", "order_id") == view.record.orderID)
                #expect((order["order", "cases"] as? [Any])?.count == 1)
                #expect((order["order", "refunds"] as? [[String: Any]])?.first?.string("status") == "REFUND_SUCCEEDED")

                let health = try await cli.json(["health"]).list("services")
                #expect(health.map { $0.string("service") } == ["gateway"] + GatewayWorld.serviceNames.sorted())
                for service in health {
                    #expect(service["up"] as? Bool == true, "\(service)")
                    #expect(!service.string("health", "build").isEmpty)
                    #expect((service["health", "checks"] as? [[String: Any]] ?? []).contains { $0.string("name") == "database" && $0["ok"] as? Bool == true })
                }
                // Wide enough for each service's checks on its one row.
                let text = try await cli.run(["health", "--width", "200"])
                #expect(text.status == 0)
                let rows = text.output.split(separator: "\n").dropFirst()
                #expect(rows.count == 6 && rows.allSatisfy { $0.contains(" up ") }, "\(text.output)")

                let report = try await cli.json(["reconcile"])
                #expect((report["report", "disagreements"] as? [Any] ?? []).isEmpty)
                #expect(report["report", "cases_checked"] as? Int ?? 0 >= 1)

                world.process("payments").kill()
                let down = try await cli.run(["health", "--json"])
                #expect(down.status == 1)
                let payments = try down.json().list("services").first { $0.string("service") == "payments" }
                #expect(payments?["up"] as? Bool != true)
                #expect(payments?.string("error").isEmpty == false)
            }
        }
    }
}
