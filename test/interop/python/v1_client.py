#!/usr/bin/python3
"""Full Partner Order Service v1 lifecycle from Python zeep (Debian python3-zeep), SOAP 1.1 and 1.2.

Search products (paged), check stock, submit, resubmit the same partnerOrderRef, get, list with paging,
cancel, admin ship, and the InsufficientStock, OrderNotFound, InvalidOrderState and NotAuthorized faults
(zeep.exceptions.Fault whose detail element is parsed with the contract's schema); a wrong password is
refused with wsse:FailedAuthentication. Every call carries a WS-Security UsernameToken (PasswordText) and
a Timestamp, from zeep.wsse.

Prints "OK name" / "FAIL name expected=... actual=..." per check and "DONE <checks> <failures>".

With --wsa (8th argument) every call also carries WS-Addressing 1.0 headers from zeep's
WsAddressingPlugin, with wsa:Action and wsa:To marked mustUnderstand="1" as WCF and Metro send them, and
every reply is checked for wsa:Action and a wsa:RelatesTo naming the request's wsa:MessageID (check lines
<version>/addressing/...).

Usage: /usr/bin/python3 v1_client.py <orders-endpoint> <admin-endpoint> <partner-user> <partner-password>
                                     <admin-user> <admin-password> <run-id> [--wsa]
"""
import datetime
import sys
from decimal import Decimal

from zeep import Client, Settings
from zeep.exceptions import Fault
from zeep.plugins import Plugin
from zeep.wsa import WsAddressingPlugin
from zeep.wsse.username import UsernameToken
from zeep.wsse.utils import WSU

NS = "urn:partner-orders:v1"
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


class Credentials:
    def __init__(self, username, password):
        self.username = username
        self.password = password

    def wsse(self):
        """UsernameToken (PasswordText) plus a fresh Timestamp, built per call so Created stays current."""
        return _FreshUsernameToken(self.username, self.password)


class _FreshUsernameToken(UsernameToken):
    def apply(self, envelope, headers):
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        timestamp = WSU.Timestamp()
        timestamp.append(WSU.Created(now.strftime("%Y-%m-%dT%H:%M:%SZ")))
        timestamp.append(WSU.Expires((now + datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")))
        self.timestamp_token = timestamp
        return super().apply(envelope, headers)


WSA = "http://www.w3.org/2005/08/addressing"


class AddressingCheck(Plugin):
    """Runs after WsAddressingPlugin: marks Action and To mustUnderstand, then checks each reply (faults included)."""

    def __init__(self):
        self.sent_id = None
        self.replies = 0
        self.problems = []

    def egress(self, envelope, http_headers, operation, binding_options):
        soap_ns = envelope.tag[1:].split("}")[0]
        header = envelope.find("{%s}Header" % soap_ns)
        for local in ("Action", "To"):
            element = header.find("{%s}%s" % (WSA, local))
            element.set("{%s}mustUnderstand" % soap_ns, "1" if soap_ns.endswith("/envelope/") else "true")
        self.sent_id = header.find("{%s}MessageID" % WSA).text
        return envelope, http_headers

    def ingress(self, envelope, http_headers, operation):
        self.replies += 1
        relates = envelope.find(".//{%s}RelatesTo" % WSA)
        action = envelope.find(".//{%s}Action" % WSA)
        if relates is None or relates.text != self.sent_id:
            self.problems.append("RelatesTo %r for %r" % (None if relates is None else relates.text, self.sent_id))
        if action is None or not action.text:
            self.problems.append("no wsa:Action in the reply to %s" % operation.name)
        return envelope, http_headers


def fault_detail(client, fault, element):
    """The typed detail of a declared fault, or None."""
    if fault.detail is None:
        return None
    node = fault.detail.find("{%s}%s" % (NS, element))
    if node is None:
        return None
    return client.get_element("{%s}%s" % (NS, element)).parse(node, client.wsdl.types)


def fault_code(fault, version):
    """SOAP 1.1 faultcode, or the first SOAP 1.2 subcode, without prefix."""
    if version == "soap11":
        return (fault.code or "").split("}")[-1].split(":")[-1]
    subcodes = getattr(fault, "subcodes", None) or []
    if subcodes:
        subcode = subcodes[0]
        return getattr(subcode, "localname", str(subcode)).split("}")[-1].split(":")[-1]
    return (fault.code or "").split("}")[-1].split(":")[-1]


class Lifecycle:
    def __init__(self, version, wsdl, orders_endpoint, admin_endpoint, partner, admin, ref_prefix, addressing=None):
        self.version = version
        self.ref_prefix = ref_prefix
        soap = "Soap11" if version == "soap11" else "Soap12"
        settings = Settings(strict=True)
        plugins = [] if addressing is None else [WsAddressingPlugin(), addressing]
        self.client = Client(wsdl, settings=settings, wsse=partner.wsse(), plugins=plugins)
        self.orders = self.client.create_service("{%s}PartnerOrder%sBinding" % (NS, soap), orders_endpoint)
        admin_client = Client(wsdl, settings=settings, wsse=admin.wsse(), plugins=plugins)
        self.admin = admin_client.create_service("{%s}PartnerOrderAdmin%sBinding" % (NS, soap), admin_endpoint)
        self.admin_as_partner = self.client.create_service("{%s}PartnerOrderAdmin%sBinding" % (NS, soap), admin_endpoint)
        wrong_client = Client(wsdl, settings=settings, wsse=Credentials(partner.username, partner.password + "-wrong").wsse(), plugins=plugins)
        self.orders_wrong_password = wrong_client.create_service("{%s}PartnerOrder%sBinding" % (NS, soap), orders_endpoint)
        self.products = []
        self.stock_before = {}
        self.first = None
        self.second = None
        self.order_a = None
        self.order_b = None

    def name(self, step, check_name):
        return "%s/%s/%s" % (self.version, step, check_name)

    def run(self):
        for step in ["search", "stock", "submit", "resubmit", "get", "list", "cancel", "ship",
                     "fault-insufficient-stock", "fault-order-not-found", "fault-invalid-order-state",
                     "fault-not-authorized", "fault-wrong-password"]:
            try:
                getattr(self, step.replace("-", "_"))(step)
            except Exception as error:  # one failed check per crashed step; the others still run
                fail(self.name(step, "completed"), "no exception", "%s: %s" % (type(error).__name__, error))

    def stock_of(self, sku):
        levels = self.orders.GetStockLevels(sku=[sku])
        if len(levels) != 1:
            raise RuntimeError("GetStockLevels(%s) returned %d levels" % (sku, len(levels)))
        return levels[0]

    def order_request(self, ref, first_quantity, second_quantity):
        lines = [{"sku": self.first.sku, "quantity": first_quantity}]
        if second_quantity:
            lines.append({"sku": self.second.sku, "quantity": second_quantity})
        return {
            "partnerOrderRef": ref,
            "shipTo": {"name": "Müller & Söhne GmbH", "line1": "Hohe Straße 1", "city": "Köln",
                       "postalCode": "50667", "countryCode": "DE"},
            "line": lines,
            "requestedDeliveryDate": datetime.date(2030, 1, 15),
            "note": "Deliver to gate 4 <rear> & sign",
        }

    def search(self, step):
        page1 = self.orders.SearchProducts(pageSize=2)
        check(self.name(step, "page1-size"), 2, len(page1.product))
        check(self.name(step, "page1-has-next-token"), True, page1.nextPageToken is not None)
        page2 = self.orders.SearchProducts(pageSize=2, pageToken=page1.nextPageToken)
        check(self.name(step, "page2-not-empty"), True, len(page2.product) > 0)
        seen = {p.sku for p in page1.product}
        check(self.name(step, "pages-disjoint"), False, any(p.sku in seen for p in page2.product))
        self.products = list(page1.product) + list(page2.product)
        for p in self.products:
            check(self.name(step, p.sku + "/price-is-decimal"), True, isinstance(p.unitPrice, Decimal))
            check(self.name(step, p.sku + "/price-has-2-fraction-digits-at-most"), True, -p.unitPrice.as_tuple().exponent <= 2)

    def stock(self, step):
        levels = self.orders.GetStockLevels(sku=[p.sku for p in self.products])
        check(self.name(step, "count"), len(self.products), len(levels))
        for level in levels:
            check(self.name(step, level.sku + "/available"), level.onHand - level.reserved, level.available)
            self.stock_before[level.sku] = level
        for p in self.products:
            level = self.stock_before.get(p.sku)
            if not p.active or level is None or level.available < 10:
                continue
            if self.first is None:
                self.first = p
            elif self.second is None and p.currency == self.first.currency:
                self.second = p
        check(self.name(step, "two-products-with-stock"), True, self.first is not None and self.second is not None)

    def submit(self, step):
        self.order_a = self.orders.SubmitOrder(**self.order_request(self.ref_prefix + "-A", 2, 1))
        order = self.order_a
        check(self.name(step, "status"), "ACCEPTED", order.status)
        check(self.name(step, "partnerOrderRef"), self.ref_prefix + "-A", order.partnerOrderRef)
        check(self.name(step, "line-count"), 2, len(order.line))
        total = Decimal("0")
        for line in order.line:
            product = self.first if line.sku == self.first.sku else self.second
            check(self.name(step, "line%d/unitPrice" % line.lineNumber), product.unitPrice, line.unitPrice)
            check(self.name(step, "line%d/lineTotal" % line.lineNumber), product.unitPrice * line.quantity, line.lineTotal)
            total += line.lineTotal
        check(self.name(step, "total"), total, order.total)
        check(self.name(step, "currency"), self.first.currency, order.currency)
        check(self.name(step, "requestedDeliveryDate"), datetime.date(2030, 1, 15), order.requestedDeliveryDate)
        check(self.name(step, "note"), "Deliver to gate 4 <rear> & sign", order.note)
        check(self.name(step, "shipTo/city"), "Köln", order.shipTo.city)
        check(self.name(step, "createdAt-is-utc"), datetime.timedelta(0), order.createdAt.utcoffset())
        reserved = self.stock_before[self.first.sku].reserved
        check(self.name(step, "stock-reserved"), reserved + 2, self.stock_of(self.first.sku).reserved)
        self.order_b = self.orders.SubmitOrder(**self.order_request(self.ref_prefix + "-B", 1, 0))
        check(self.name(step, "second-order-accepted"), "ACCEPTED", self.order_b.status)
        check(self.name(step, "second-order-new-id"), False, self.order_b.orderId == order.orderId)

    def resubmit(self, step):
        again = self.orders.SubmitOrder(**self.order_request(self.ref_prefix + "-A", 2, 1))
        check(self.name(step, "same-orderId"), self.order_a.orderId, again.orderId)
        check(self.name(step, "same-total"), self.order_a.total, again.total)
        check(self.name(step, "same-createdAt"), self.order_a.createdAt, again.createdAt)
        reserved = self.stock_before[self.first.sku].reserved
        check(self.name(step, "stock-reserved-once"), reserved + 3, self.stock_of(self.first.sku).reserved)

    def get(self, step):
        got = self.orders.GetOrder(orderId=self.order_a.orderId)
        check(self.name(step, "orderId"), self.order_a.orderId, got.orderId)
        check(self.name(step, "status"), "ACCEPTED", got.status)
        check(self.name(step, "total"), self.order_a.total, got.total)
        check(self.name(step, "line-count"), len(self.order_a.line), len(got.line))
        check(self.name(step, "shipTo/name"), "Müller & Söhne GmbH", got.shipTo.name)

    def list(self, step):
        page1 = self.orders.ListOrders(pageSize=1)
        summaries = page1.orderSummary
        check(self.name(step, "page1-size"), 1, len(summaries))
        check(self.name(step, "page1-newest-first"), self.order_b.orderId, summaries[0].orderId if summaries else None)
        check(self.name(step, "page1-has-next-token"), True, page1.nextPageToken is not None)
        page2 = self.orders.ListOrders(pageSize=1, pageToken=page1.nextPageToken)
        check(self.name(step, "page2-size"), 1, len(page2.orderSummary))
        if page2.orderSummary:
            summary = page2.orderSummary[0]
            check(self.name(step, "page2-orderId"), self.order_a.orderId, summary.orderId)
            check(self.name(step, "page2-lineCount"), 2, summary.lineCount)
            check(self.name(step, "page2-total"), self.order_a.total, summary.total)
        accepted = self.orders.ListOrders(status="ACCEPTED", pageSize=100)
        check(self.name(step, "status-filter"), True, all(s.status == "ACCEPTED" for s in accepted.orderSummary))

    def cancel(self, step):
        reserved_before = self.stock_of(self.first.sku).reserved
        cancelled = self.orders.CancelOrder(orderId=self.order_b.orderId, reason="changed our mind")
        check(self.name(step, "status"), "CANCELLED", cancelled.status)
        check(self.name(step, "reason"), "changed our mind", cancelled.cancellation.reason if cancelled.cancellation else None)
        check(self.name(step, "cancelledAt-present"), True, bool(cancelled.cancellation and cancelled.cancellation.cancelledAt))
        check(self.name(step, "reservation-released"), reserved_before - 1, self.stock_of(self.first.sku).reserved)

    def ship(self, step):
        before = self.stock_of(self.first.sku)
        tracking = "JJD000390007788" + self.version
        shipped = self.admin.ShipOrder(orderId=self.order_a.orderId, carrier="DHL", trackingNumber=tracking)
        check(self.name(step, "status"), "SHIPPED", shipped.status)
        check(self.name(step, "carrier"), "DHL", shipped.shipment.carrier if shipped.shipment else None)
        check(self.name(step, "trackingNumber"), tracking, shipped.shipment.trackingNumber if shipped.shipment else None)
        after = self.stock_of(self.first.sku)
        check(self.name(step, "onHand-consumed"), before.onHand - 2, after.onHand)
        check(self.name(step, "reserved-consumed"), before.reserved - 2, after.reserved)

    def fault_insufficient_stock(self, step):
        level = self.stock_of(self.second.sku)
        first_reserved_before = self.stock_of(self.first.sku).reserved
        requested = level.available + 1
        check(self.name(step, "requested-within-quantity-range"), True, requested <= 100000)
        request = self.order_request(self.ref_prefix + "-TOO-MANY", 1, 0)
        request["line"] = [{"sku": self.first.sku, "quantity": 1}, {"sku": self.second.sku, "quantity": requested}]
        try:
            self.orders.SubmitOrder(**request)
            fail(self.name(step, "thrown"), "Fault", "a normal response")
        except Fault as fault:
            ok(self.name(step, "thrown"))
            detail = fault_detail(self.client, fault, "InsufficientStock")
            check(self.name(step, "detail-present"), True, detail is not None)
            if detail is not None:
                check(self.name(step, "detail/sku"), self.second.sku, detail.sku)
                check(self.name(step, "detail/requested"), requested, detail.requested)
                check(self.name(step, "detail/available"), level.available, detail.available)
        # all or nothing: the first line (which had stock) was not reserved either
        check(self.name(step, "nothing-reserved"), first_reserved_before, self.stock_of(self.first.sku).reserved)

    def fault_order_not_found(self, step):
        order_id = "NO-SUCH-ORDER-" + self.version
        try:
            self.orders.GetOrder(orderId=order_id)
            fail(self.name(step, "thrown"), "Fault", "a normal response")
        except Fault as fault:
            ok(self.name(step, "thrown"))
            detail = fault_detail(self.client, fault, "OrderNotFound")
            check(self.name(step, "detail/orderId"), order_id, detail.orderId if detail is not None else None)

    def fault_invalid_order_state(self, step):
        try:
            self.orders.CancelOrder(orderId=self.order_a.orderId)
            fail(self.name(step, "thrown"), "Fault", "a normal response")
        except Fault as fault:
            ok(self.name(step, "thrown"))
            detail = fault_detail(self.client, fault, "InvalidOrderState")
            check(self.name(step, "detail/orderId"), self.order_a.orderId, detail.orderId if detail is not None else None)
            check(self.name(step, "detail/currentStatus"), "SHIPPED", detail.currentStatus if detail is not None else None)

    def fault_not_authorized(self, step):
        try:
            self.admin_as_partner.ShipOrder(orderId=self.order_b.orderId, carrier="DHL", trackingNumber="X")
            fail(self.name(step, "thrown"), "Fault", "a normal response")
        except Fault as fault:
            ok(self.name(step, "thrown"))
            detail = fault_detail(self.client, fault, "NotAuthorized")
            check(self.name(step, "detail/requiredRole"), "admin", detail.requiredRole if detail is not None else None)

    def fault_wrong_password(self, step):
        try:
            self.orders_wrong_password.GetOrder(orderId=self.order_a.orderId)
            fail(self.name(step, "thrown"), "Fault", "a normal response")
        except Fault as fault:
            ok(self.name(step, "thrown"))
            check(self.name(step, "code"), "FailedAuthentication", fault_code(fault, self.version))


def main():
    if len(sys.argv) < 8:
        sys.stderr.write(__doc__)
        sys.exit(2)
    orders_endpoint, admin_endpoint, partner_user, partner_password, admin_user, admin_password, run_id = sys.argv[1:8]
    partner = Credentials(partner_user, partner_password)
    admin = Credentials(admin_user, admin_password)
    with_addressing = sys.argv[8:9] == ["--wsa"]
    for version in ["soap11", "soap12"]:
        addressing = AddressingCheck() if with_addressing else None
        Lifecycle(version, orders_endpoint + "?wsdl", orders_endpoint, admin_endpoint, partner, admin,
                  "ZEEP-%s-%s" % (run_id, version), addressing).run()
        if addressing is not None:
            check("%s/addressing/replies-checked" % version, True, addressing.replies >= 10)
            check("%s/addressing/replies-related" % version, [], addressing.problems)
    print("DONE %d %d" % (checks, failures), flush=True)
    sys.exit(0 if failures == 0 else 1)


if __name__ == "__main__":
    main()
