#!/usr/bin/python3
"""Interop check of the echo service from Python zeep (Debian python3-zeep).

Sends the same values as the JAX-WS client over the SOAP 1.1 and the SOAP 1.2 port, compares every field
that comes back with what was sent, and prints one line per check: "OK name" or
"FAIL name expected=... actual=...". The last line is "DONE <checks> <failures>"; exit status 1 on failure.

zeep maps decimal to Decimal, the integer types to int, date/dateTime/time to date/datetime/time objects,
duration to isodate.Duration, base64Binary to bytes, hexBinary to its (case-insensitive) hex text, and
nil or absent optional values to None.

Usage: /usr/bin/python3 echo_client.py <wsdl-url> [endpoint-url]
"""
import datetime
import sys
from decimal import Decimal

import isodate
from zeep import Client, Settings, xsd
from zeep.exceptions import Fault
from zeep.helpers import serialize_object

ECHO_NS = "urn:example:echo"
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
    print("FAIL %s expected=%s actual=%s" % (name, one_line(expected), one_line(actual)), flush=True)


def one_line(value):
    return repr(value).replace("\n", "\\n")


def check(name, expected, actual):
    if type(expected) is type(actual) and expected == actual:
        ok(name)
    elif expected is None and actual is None:
        ok(name)
    else:
        fail(name, expected, actual)


def compare(path, expected, actual):
    """Deep comparison of plain values against zeep's serialised result, one check per leaf.

    A key missing from `expected` means "absent": zeep then reports None (single) or [] (repeated).
    """
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            fail(path, expected, actual)
            return
        for key in sorted(set(expected) | set(actual)):
            want = expected.get(key)
            got = actual.get(key)
            if key not in expected and got in (None, []):
                ok(path + "/" + key + "/absent")
                continue
            compare(path + "/" + key, want, got)
        return
    if isinstance(expected, list):
        if not isinstance(actual, list):
            fail(path, expected, actual)
            return
        check(path + "/count", len(expected), len(actual))
        for i, (want, got) in enumerate(zip(expected, actual)):
            compare("%s[%d]" % (path, i + 1), want, got)
        return
    if isinstance(expected, Decimal) and isinstance(actual, Decimal):
        # exact: same digits and same scale (12345678901234567.89 must not become ...567.9 or a float)
        check(path, str(expected), str(actual))
        return
    check(path, expected, actual)


def guarded(name, scenario):
    try:
        scenario()
    except Exception as error:  # one failed check per crashed scenario; the others still run
        fail(name + "/completed", "no exception", "%s: %s" % (type(error).__name__, error))


UTC = datetime.timezone.utc
PLUS_0530 = datetime.timezone(datetime.timedelta(hours=5, minutes=30))
MINUS_0800 = datetime.timezone(datetime.timedelta(hours=-8))


def extreme_primitives():
    return {
        "stringValue": "Grüße <&> \"quoted\" 'apos' ]]> 日本語 😀\nsecond line\ttab  two spaces",
        "tokenValue": "alpha beta gamma",
        "normalizedStringValue": "normalized string value",
        "booleanValue": True,
        "byteValue": -128,
        "shortValue": -32768,
        "intValue": -2147483648,
        "longValue": 9223372036854775807,
        "unsignedByteValue": 255,
        "unsignedShortValue": 65535,
        "unsignedIntValue": 4294967295,
        "unsignedLongValue": 18446744073709551615,
        "positiveIntegerValue": 123456789012345678901234567890,
        "nonNegativeIntegerValue": 9007199254740993,
        "integerValue": -98765432109876543210987654321,
        "decimalValue": Decimal("12345678901234567.89"),
        "floatValue": 3.4028235e38,
        "doubleValue": -1.7976931348623157e308,
        "dateValue": datetime.date(2024, 2, 29),
        "dateTimeValue": datetime.datetime(2024, 2, 29, 23, 59, 59, 125000, tzinfo=PLUS_0530),
        "timeValue": datetime.time(13, 20, 0),
        "durationValue": isodate.Duration(years=1, months=2, days=3, hours=4, minutes=5, seconds=6.5),
        "base64BinaryValue": bytes(range(256)),
        "hexBinaryValue": "DEADBEEF00FF",
        "anyURIValue": "https://example.com/orders?id=42&lang=de#top",
    }


def zero_primitives():
    return {
        "stringValue": "",
        "tokenValue": "x",
        "normalizedStringValue": "",
        "booleanValue": False,
        "byteValue": 127,
        "shortValue": 32767,
        "intValue": 2147483647,
        "longValue": -9223372036854775808,
        "unsignedByteValue": 0,
        "unsignedShortValue": 0,
        "unsignedIntValue": 0,
        "unsignedLongValue": 0,
        "positiveIntegerValue": 1,
        "nonNegativeIntegerValue": 0,
        "integerValue": 0,
        "decimalValue": Decimal("-0.10"),
        "floatValue": -0.5,
        "doubleValue": 0.1,
        "dateValue": datetime.date(1999, 12, 31),
        "dateTimeValue": datetime.datetime(2000, 1, 1, 0, 0, 0, tzinfo=UTC),
        # zeep cannot render a time with a zone from a time object (utcoffset bug), so send its lexical form
        "timeValue": "23:59:59.5-08:00",
        "durationValue": datetime.timedelta(days=-3),
        "base64BinaryValue": b"",
        "hexBinaryValue": "",
        "anyURIValue": "urn:isbn:0451450523",
    }


def zero_primitives_received():
    expected = as_received(zero_primitives())
    expected["timeValue"] = datetime.time(23, 59, 59, 500000, tzinfo=MINUS_0800)
    return expected


def money(value, currency):
    return {"_value_1": Decimal(value), "currency": currency}


def address(street, city, postal_code, country):
    result = {"street": street, "city": city, "country": country}
    if postal_code is not None:
        result["postal-code"] = postal_code
    return result


def full_structures():
    return {
        "version": 2,
        "label": 'label with <tags> & "quotes"',
        "Customer": {
            "id": "C-001",
            "vip": True,
            "since": datetime.date(2020, 1, 31),
            "name": "Ada Lovelace",
            "address": address("1 Analytical Way", "London", "NW1 6XE", "GB"),
            "email": "ada@example.com",
            "phone": ["+44 20 0000 0001", "+44 20 0000 0002"],
        },
        "contact": {"email": "orders@example.com"},
        "options": {"color": "red", "size": 42, "gift": True},
        "item": [
            {"line": 1, "sku": "ABC-0001", "quantity": 3, "price": money("19.99", "EUR"), "comment": "fragile"},
            {"line": 2, "sku": "ABC-0002", "quantity": 100000, "price": money("0.01", "EUR")},
        ],
        "tag": ["alpha", "beta", "gamma", "delta", "epsilon"],
        "note": "a note",
        "remark": "a remark",
        "total": money("12345678901234567.89", "EUR"),
        "priority": 3,
    }


def minimal_structures():
    return {
        "version": 1,
        "Customer": {"id": "C-002", "name": "Bob"},
        "contact": {"postal": address("2 Main St", "Springfield", None, "US")},
        "options": {"size": 0},
        "remark": None,  # required and nillable: zeep sends xsi:nil
        "total": money("0", "USD"),
    }


def nil_structures():
    result = minimal_structures()
    result.update({
        "version": 3,
        "contact": {"phone": "+1 555 0100"},
        "note": xsd.Nil,
        "item": [{"line": 7, "sku": "XYZ-0007", "quantity": 1, "price": money("-5.50", "GBP"), "comment": xsd.Nil}],
        "tag": [""],
        "total": money("-5.50", "GBP"),
        "priority": 1,
    })
    return result


def valid_facets():
    return {
        "country": "DE",
        "status": "on hold",
        "sku": "ABC-1234",
        "euSku": "EUX-1234",
        "name": "Zoë",
        "identifier": "order_1.a-b",
        "consonants": "bcdfg",
        "percent": Decimal("99.99"),
        "quantity": 999,
        "smallQuantity": 10,
        "bigAmount": Decimal("12345678901234567.89"),
        "serial": 18446744073709551615,
        "temperature": -273.15,
        "code": "AB12",
        "level": "high",
    }


def as_received(value):
    """What the sent value should look like once zeep has parsed the echo.

    zeep reads nil as None, and an empty element (the empty string, empty bytes) as None too.
    """
    if value is xsd.Nil or value == "" or value == b"":
        return None
    if isinstance(value, dict):
        return {key: as_received(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_received(item) for item in value]
    return value


def normalise_hex(tree, key):
    """hexBinary is text in zeep; its case carries no meaning, so compare the bytes."""
    if isinstance(tree, dict) and isinstance(tree.get(key), str):
        tree[key] = bytes.fromhex(tree[key])
    return tree


def detail_element(fault, local_name):
    if fault.detail is None:
        return None
    return fault.detail.find("{%s}%s" % (ECHO_NS, local_name))


def run_all(version, client, service):
    def echo(name, operation, sent, expected=None):
        response = getattr(service, operation)(sent)
        actual = serialize_object(response, dict)
        expected = as_received(sent) if expected is None else expected
        normalise_hex(actual, "hexBinaryValue")
        normalise_hex(expected, "hexBinaryValue")
        compare(name, expected, actual)

    def fault_echo():
        name = version + "/fault-echo"
        message = "echo fault <&> requested"
        try:
            service.RaiseFault(kind="echo", message=message)
            fail(name + "/thrown", "Fault", "a normal response")
        except Fault as fault:
            ok(name + "/thrown")
            element = detail_element(fault, "EchoFaultDetail")
            check(name + "/detail-present", True, element is not None)
            if element is not None:
                detail = client.get_element("{%s}EchoFaultDetail" % ECHO_NS).parse(element, client.wsdl.types)
                check(name + "/detail/code", "ECHO", detail.code)
                check(name + "/detail/message", message, detail.message)
                check(name + "/detail/item", ["echo", "fault"], list(detail.item))

    def fault_limit():
        name = version + "/fault-limit"
        try:
            service.RaiseFault(kind="limit", message="limit")
            fail(name + "/thrown", "Fault", "a normal response")
        except Fault as fault:
            ok(name + "/thrown")
            element = detail_element(fault, "LimitFaultDetail")
            check(name + "/detail-present", True, element is not None)
            if element is not None:
                detail = client.get_element("{%s}LimitFaultDetail" % ECHO_NS).parse(element, client.wsdl.types)
                check(name + "/detail/limit", 9223372036854775807, detail.limit)
                check(name + "/detail/requested", "12345678901234567.89", str(detail.requested))

    def fault_none():
        check(version + "/fault-none/kind", "none", service.RaiseFault(kind="none"))

    def fault_unexpected():
        name = version + "/fault-unexpected"
        secret = "internal-secret-7f3a"
        try:
            service.RaiseFault(kind="unexpected", message=secret)
            fail(name + "/thrown", "Fault", "a normal response")
        except Fault as fault:
            ok(name + "/thrown")
            code = (fault.code or "").split("}")[-1].split(":")[-1]
            check(name + "/code", "Server" if version == "soap11" else "Receiver", code)
            check(name + "/reason-hides-message", False, secret in (fault.message or ""))
            check(name + "/reason-has-no-stack", False, "    at " in (fault.message or ""))

    def fault_invalid_input():
        name = version + "/fault-invalid-input"
        facets = valid_facets()
        facets["quantity"] = 0
        try:
            service.EchoFacets(facets)
            fail(name + "/thrown", "Fault", "a normal response")
        except Fault as fault:
            ok(name + "/thrown")
            code = (fault.code or "").split("}")[-1].split(":")[-1]
            check(name + "/code", "Client" if version == "soap11" else "Sender", code)
            check(name + "/reason-names-field", True, "quantity" in (fault.message or ""))

    scenarios = [
        ("primitives-extremes", lambda: echo(version + "/primitives-extremes", "EchoPrimitives", extreme_primitives())),
        ("primitives-zeroes", lambda: echo(version + "/primitives-zeroes", "EchoPrimitives", zero_primitives(),
                                           zero_primitives_received())),
        ("structures-full", lambda: echo(version + "/structures-full", "EchoStructures", full_structures())),
        ("structures-minimal", lambda: echo(version + "/structures-minimal", "EchoStructures", minimal_structures())),
        ("structures-nils", lambda: echo(version + "/structures-nils", "EchoStructures", nil_structures())),
        ("facets", lambda: echo(version + "/facets", "EchoFacets", valid_facets())),
        ("fault-echo", fault_echo),
        ("fault-limit", fault_limit),
        ("fault-none", fault_none),
        ("fault-unexpected", fault_unexpected),
        ("fault-invalid-input", fault_invalid_input),
    ]
    for name, scenario in scenarios:
        guarded(version + "/" + name, scenario)


def main():
    if len(sys.argv) < 2:
        sys.stderr.write("usage: echo_client.py <wsdl-url> [endpoint-url]\n")
        sys.exit(2)
    wsdl = sys.argv[1]
    endpoint = sys.argv[2] if len(sys.argv) > 2 else wsdl.split("?")[0]
    client = Client(wsdl, settings=Settings(strict=True))
    ports = [("soap11", "EchoSoap11Binding"), ("soap12", "EchoSoap12Binding")]
    for version, binding in ports:
        service = client.create_service("{%s}%s" % (ECHO_NS, binding), endpoint)
        run_all(version, client, service)
    print("DONE %d %d" % (checks, failures), flush=True)
    sys.exit(0 if failures == 0 else 1)


if __name__ == "__main__":
    main()
