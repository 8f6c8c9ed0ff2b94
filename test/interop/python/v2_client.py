#!/usr/bin/python3
"""Partner Order Service contract v2 lifecycle from Python zeep (Debian python3-zeep), SOAP 1.1 and 1.2.

Reads the v2 WSDL from the running service and checks what v2 changes: money as a Money value with a
currency attribute (zeep: `_value_1` + `currency`), partnerLineRef on order lines, Order.history on every
order, GetOrderHistory, the partnerOrderRef filter of ListOrders, and faults whose detail is in the v2
namespace. Every call carries a WS-Security UsernameToken (PasswordText) and a Timestamp (zeep.wsse).

Prints "OK name" / "FAIL name expected=... actual=..." per check and "DONE <checks> <failures>".

Usage: /usr/bin/python3 v2_client.py <orders-endpoint> <admin-endpoint> <partner-user> <partner-password>
                                     <admin-user> <admin-password> <run-id>
"""
import datetime
import sys
from decimal import Decimal

from zeep import Client, Settings
from zeep.exceptions import Fault
from zeep.wsse.username import UsernameToken
from zeep.wsse.utils import WSU

NS = "urn:partner-orders:v2"
checks = 0
failures = 0


def ok(name):
    global checks
    checks += 1
    print("OK " + name, flush=True)


def fail(name, expected, actual):
    global checks, failures
    checks += 1
    failures += 1
    print("FAIL %s expected=%s actual=%s" % (name, repr(expected).replace("\n", "\\n"), repr(actual).replace("\n", "\\n")), flush=True)


def check(name, expected, actual):
    if expected == actual and type(expected) is type(actual):
        ok(name)
    else:
        fail(name, expected, actual)


class FreshUsernameToken(UsernameToken):
    """UsernameToken (PasswordText) plus a Timestamp created at each call."""

    def apply(self, envelope, headers):
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        timestamp = WSU.Timestamp()
        timestamp.append(WSU.Created(now.strftime("%Y-%m-%dT%H:%M:%SZ")))
        timestamp.append(WSU.Expires((now + datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")))
        self.timestamp_token = timestamp
        return super().apply(envelope, headers)


def fault_detail(client, fault, element):
    """The typed detail of a declared v2 fault, or None."""
    if fault.detail is None:
        return None
    node = fault.detail.find("{%s}%s" % (NS, element))
    if node is None:
        return None
    return client.get_element("{%s}%s" % (NS, element)).parse(node, client.wsdl.types)


def money(value):
    """(amount, currency) of a v2 Money / UnitPrice value."""
    return (value._value_1, value.currency) if value is not None else None


class Lifecycle:
    def __init__(self, version, orders_endpoint, admin_endpoint, partner, admin, ref_prefix):
        self.version = version
        self.ref_prefix = ref_prefix
        self.partner_name = partner[0]
        self.admin_name = admin[0]
        soap = "Soap11" if version == "soap11" else "Soap12"
        settings = Settings(strict=True)
        wsdl = orders_endpoint + "?wsdl"
        self.client = Client(wsdl, settings=settings, wsse=FreshUsernameToken(*partner))
        self.orders = self.client.create_service("{%s}PartnerOrder%sBinding" % (NS, soap), orders_endpoint)
        admin_client = Client(admin_endpoint + "?wsdl", settings=settings, wsse=FreshUsernameToken(*admin))
        self.admin = admin_client.create_service("{%s}PartnerOrderAdmin%sBinding" % (NS, soap), admin_endpoint)
        self.item = None
        self.order = None
        self.to_ship = None

    def name(self, step, check_name):
        return "%s/%s/%s" % (self.version, step, check_name)

    def run(self):
        for step in ["product", "submit", "resubmit", "list-by-ref", "cancel", "history", "ship",
                     "fault-order-not-found", "fault-insufficient-stock"]:
            try:
                getattr(self, step.replace("-", "_"))(step)
            except Exception as error:  # one failed check per crashed step; the others still run
                fail(self.name(step, "completed"), "no exception", "%s: %s" % (type(error).__name__, error))

    def request(self, ref, quantity, line_ref):
        line = {"sku": self.item.sku, "quantity": quantity}
        if line_ref is not None:
            line["partnerLineRef"] = line_ref
        return {
            "partnerOrderRef": ref,
            "shipTo": {"name": "Müller & Söhne GmbH", "line1": "Hohe Straße 1", "city": "Köln",
                       "postalCode": "50667", "countryCode": "DE"},
            "line": [line],
        }

    def product(self, step):
        self.item = self.orders.GetProduct(sku="FAS-SCR-4X40")
        amount, currency = money(self.item.unitPrice)
        check(self.name(step, "unitPrice-is-decimal"), True, isinstance(amount, Decimal))
        check(self.name(step, "unitPrice"), Decimal("6.90"), amount)
        check(self.name(step, "currency-attribute"), "EUR", currency)
        check(self.name(step, "no-currency-element"), False, "currency" in self.item)

    def submit(self, step):
        self.order = self.orders.SubmitOrder(**self.request(self.ref_prefix + "-A", 3, "PO-LINE-10"))
        order = self.order
        check(self.name(step, "status"), "ACCEPTED", order.status)
        line = order.line[0]
        check(self.name(step, "partnerLineRef"), "PO-LINE-10", line.partnerLineRef)
        check(self.name(step, "unitPrice"), (Decimal("6.90"), "EUR"), money(line.unitPrice))
        check(self.name(step, "lineTotal"), (Decimal("20.70"), "EUR"), money(line.lineTotal))
        check(self.name(step, "total"), (Decimal("20.70"), "EUR"), money(order.total))
        check(self.name(step, "history-length"), 1, len(order.history))
        first = order.history[0]
        check(self.name(step, "history/status"), "ACCEPTED", first.status)
        check(self.name(step, "history/by"), self.partner_name, first.by)
        check(self.name(step, "history/at-is-createdAt"), order.createdAt, first.at)

    def resubmit(self, step):
        again = self.orders.SubmitOrder(**self.request(self.ref_prefix + "-A", 3, "PO-LINE-10"))
        check(self.name(step, "same-orderId"), self.order.orderId, again.orderId)
        try:
            self.orders.SubmitOrder(**self.request(self.ref_prefix + "-A", 3, "PO-LINE-11"))
            fail(self.name(step, "other-line-ref-conflicts"), "Fault", "a normal response")
        except Fault as fault:
            detail = fault_detail(self.client, fault, "OrderConflict")
            check(self.name(step, "other-line-ref-conflicts"), self.order.orderId, detail.orderId if detail is not None else None)

    def list_by_ref(self, step):
        self.to_ship = self.orders.SubmitOrder(**self.request(self.ref_prefix + "-B", 1, None))
        page = self.orders.ListOrders(partnerOrderRef=self.ref_prefix + "-A")
        check(self.name(step, "exactly-one"), 1, len(page.orderSummary))
        if page.orderSummary:
            summary = page.orderSummary[0]
            check(self.name(step, "orderId"), self.order.orderId, summary.orderId)
            check(self.name(step, "total"), (Decimal("20.70"), "EUR"), money(summary.total))
        everything = self.orders.ListOrders(pageSize=100)
        check(self.name(step, "unfiltered-has-both"), True,
              {self.order.orderId, self.to_ship.orderId} <= {s.orderId for s in everything.orderSummary})

    def cancel(self, step):
        cancelled = self.orders.CancelOrder(orderId=self.order.orderId, reason="changed our mind")
        check(self.name(step, "status"), "CANCELLED", cancelled.status)
        check(self.name(step, "history"), ["ACCEPTED", "CANCELLED"], [h.status for h in cancelled.history])
        check(self.name(step, "history/detail"), "changed our mind", cancelled.history[-1].detail)

    def history(self, step):
        answer = self.orders.GetOrderHistory(orderId=self.order.orderId)
        check(self.name(step, "orderId"), self.order.orderId, answer.orderId)
        check(self.name(step, "statuses"), ["ACCEPTED", "CANCELLED"], [h.status for h in answer.history])
        check(self.name(step, "by"), [self.partner_name, self.partner_name], [h.by for h in answer.history])
        check(self.name(step, "oldest-first"), True, answer.history[0].at <= answer.history[1].at)

    def ship(self, step):
        shipped = self.admin.ShipOrder(orderId=self.to_ship.orderId, carrier="DHL", trackingNumber="JJD0003900" + self.version)
        check(self.name(step, "status"), "SHIPPED", shipped.status)
        check(self.name(step, "history/last"), ("SHIPPED", self.admin_name), (shipped.history[-1].status, shipped.history[-1].by))

    def fault_order_not_found(self, step):
        order_id = "NO-SUCH-ORDER-" + self.version
        try:
            self.orders.GetOrderHistory(orderId=order_id)
            fail(self.name(step, "thrown"), "Fault", "a normal response")
        except Fault as fault:
            ok(self.name(step, "thrown"))
            detail = fault_detail(self.client, fault, "OrderNotFound")
            check(self.name(step, "detail/orderId"), order_id, detail.orderId if detail is not None else None)

    def fault_insufficient_stock(self, step):
        try:
            self.orders.SubmitOrder(**self.request(self.ref_prefix + "-TOO-MANY", 100000, None))
            fail(self.name(step, "thrown"), "Fault", "a normal response")
        except Fault as fault:
            ok(self.name(step, "thrown"))
            detail = fault_detail(self.client, fault, "InsufficientStock")
            check(self.name(step, "detail/sku"), self.item.sku, detail.sku if detail is not None else None)
            check(self.name(step, "detail/requested"), 100000, detail.requested if detail is not None else None)


def main():
    if len(sys.argv) < 8:
        sys.stderr.write(__doc__)
        sys.exit(2)
    orders_endpoint, admin_endpoint, partner_user, partner_password, admin_user, admin_password, run_id = sys.argv[1:8]
    for version in ["soap11", "soap12"]:
        Lifecycle(version, orders_endpoint, admin_endpoint, (partner_user, partner_password), (admin_user, admin_password),
                  "ZEEP-V2-%s-%s" % (run_id, version)).run()
    print("DONE %d %d" % (checks, failures), flush=True)
    sys.exit(0 if failures == 0 else 1)


if __name__ == "__main__":
    main()
