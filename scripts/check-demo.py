#!/usr/bin/env python3
"""Checks what `make run`'s six scenarios must show, from the `aftercare` CLI's --json output.

Usage: scripts/check-demo.py RUN_DIR   (RUN_DIR holds demo.json, written by aftercare-demo --report)
"""
import json
import subprocess
import sys

run_dir = sys.argv[1]
cli = ".build/debug/aftercare"
failures = []


def aftercare(*arguments):
    """Runs `aftercare ARGUMENTS --json --run-dir RUN_DIR` and parses its output."""
    done = subprocess.run([cli, *arguments, "--json", "--run-dir", run_dir], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"aftercare {' '.join(arguments)} exited {done.returncode}: {done.stderr}")
    return json.loads(done.stdout)


def check(condition, what):
    if not condition:
        failures.append(what)


def saga(saga_id):
    return aftercare("saga", "show", saga_id)["saga"]


def attempts(view, step, direction="forward", kind="call"):
    return [a for a in view.get("attempts", []) if a["step"] == step and a["direction"] == direction and a["kind"] == kind]


report = {s["number"]: s for s in json.load(open(f"{run_dir}/demo.json"))["scenarios"]}
check(sorted(report) == [1, 2, 3, 4, 5, 6], f"six scenarios ran, not {sorted(report)}")

# 1. The refund's first call to payments failed (lost: deadline exceeded), then a retry succeeded.
one = saga(report[1]["sagas"]["refund"])
calls = attempts(one, "refund")
check(one["saga"]["state"] == "completed", f"1: the Refund saga is {one['saga']['state']}")
check(len(calls) >= 2 and calls[0]["result"] != "ok" and calls[0].get("status_code", 0) != 0, f"1: the first refund call did not fail: {calls[:1]}")
check(calls and calls[-1]["result"] == "ok", f"1: the last refund call did not succeed: {calls[-1:]}")
check(any(a["kind"] == "query" for a in one["attempts"] if a["step"] == "refund"), "1: the saga did not ask payments what became of the lost call")

# 2. A partial refund: less than asked, by a completed Refund saga.
two = saga(report[2]["sagas"]["refund"])
check(two["saga"]["state"] == "completed", f"2: the Refund saga is {two['saga']['state']}")
facts = report[2]["facts"]
check(0 < facts["refunded_minor"] < facts["requested_minor"], f"2: not a partial refund: {facts}")

# 3. A declined refund compensated (the reservation released), then an operator's retry succeeded.
declined = saga(report[3]["sagas"]["declined_refund"])
retried = saga(report[3]["sagas"]["retried_refund"])
check(declined["saga"]["state"] == "compensated", f"3: the declined saga is {declined['saga']['state']}")
check([a["result"] for a in attempts(declined, "refund")] == ["refused"], "3: the refund call was not refused")
released = attempts(declined, "reserve_refund", "compensate")
check(released and released[-1]["result"] == "ok", f"3: the reservation was not released: {released}")
check(declined["saga"].get("compensations") == ["record_refunding", "reserve_refund"], f"3: compensations {declined['saga'].get('compensations')}")
check(retried["saga"]["state"] == "completed" and retried["saga"]["saga_id"] != declined["saga"]["saga_id"], "3: the retry is not a new completed saga")
check(retried["saga"]["case_id"] == declined["saga"]["case_id"], "3: the retry is not on the same case")
case3 = aftercare("case", "show", report[3]["cases"][0])["case"]
check(case3["record"]["state"] == "REFUNDED", f"3: the case is {case3['record']['state']}")
check(report[3]["facts"]["refundable_after_decline_minor"] == report[3]["facts"]["refunded_minor"], "3: the declined amount was not refundable again")

# 4. The withdrawn exchange: Return cancellation cancelled the label and released the stock.
four = saga(report[4]["sagas"]["return_cancellation"])
check(four["saga"]["state"] == "completed", f"4: Return cancellation is {four['saga']['state']}")
for step in ["cancel_return_shipment", "release_reservation"]:
    done = attempts(four, step)
    check(done and done[-1]["result"] == "ok", f"4: {step} did not succeed: {done}")
facts = report[4]["facts"]
check(facts["stock_reserved"] == facts["stock_before"] - 1 and facts["stock_after"] == facts["stock_before"], f"4: stock {facts}")
case4 = aftercare("case", "show", report[4]["cases"][0])["case"]
check(case4["record"]["state"] == "CLOSED_WITHDRAWN", f"4: the case is {case4['record']['state']}")

# 5. Out of stock: Return setup compensated; the converted case refunded.
setup = saga(report[5]["sagas"]["exchange_setup"])
check(setup["saga"]["state"] == "compensated" and setup["saga"]["definition"] == "Return setup", f"5: the exchange's setup is {setup['saga']['state']}")
refund = saga(report[5]["sagas"]["converted_refund"])
first, converted = report[5]["cases"]
check(refund["saga"]["state"] == "completed" and refund["saga"]["case_id"] == converted, "5: the converted case's Refund did not complete")
shown = aftercare("case", "show", first)["case"]
check(shown["record"]["state"] == "CONVERTED", f"5: the exchange is {shown['record']['state']}")
check(aftercare("case", "show", converted)["case"]["record"]["state"] == "REFUNDED", "5: the converted case is not refunded")

# 6. A paid order cancelled: Order cancellation refunded the whole payment, then the order is CANCELLED.
six = saga(report[6]["sagas"]["order_cancellation"])
check(six["saga"]["state"] == "completed", f"6: Order cancellation is {six['saga']['state']}")
for step in ["refund", "finish_cancellation"]:
    done = attempts(six, step)
    check(done and done[-1]["result"] == "ok", f"6: {step} did not succeed: {done}")
facts = report[6]["facts"]
check(facts["refunded_minor"] == facts["paid_minor"] > 0, f"6: not refunded whole: {facts}")

# The platform's totals count every scenario's order and its refunds, in CNY.
totals = aftercare("totals")["totals"]
paid = {m["currency"]: m.get("amount_minor", 0) for m in totals.get("paid", [])}
refunded = {m["currency"]: m.get("amount_minor", 0) for m in totals.get("refunded", [])}
check(totals.get("orders", 0) >= 5, f"totals: {totals.get('orders', 0)} orders, not at least one per scenario")
check(0 < refunded.get("CNY", 0) < paid.get("CNY", 0), f"totals: refunded {refunded} is not a part of paid {paid}")

# Everything agrees afterwards.
disagreements = aftercare("reconcile")["report"].get("disagreements", [])
check(not disagreements, f"reconciliation found {[d['kind'] for d in disagreements]}")

if failures:
    for failure in failures:
        print(f"check-demo: {failure}", file=sys.stderr)
    sys.exit(1)
print("check-demo: the six scenarios show what they must")
