#!/usr/bin/python3
"""The echo service from Python zeep writing its requests in another character encoding.

zeep has no setting for the request encoding; its Transport is the documented extension point, so this
Transport serializes the envelope with lxml in the requested encoding (lxml writes the XML declaration and,
for UTF-16, the byte order mark) and names it in the Content-Type charset. Sends a non-ASCII text through
RaiseFault(kind=echo), whose declared fault echoes it in its detail, over the SOAP 1.1 and 1.2 ports.
Prints "OK name" / "FAIL name ..." lines and "DONE <checks> <failures>".

Usage: /usr/bin/python3 encoding_client.py <wsdl-url> <endpoint-url> <encoding> <text>
"""
import sys

from lxml import etree
from zeep import Client
from zeep.exceptions import Fault
from zeep.transports import Transport

ECHO_NS = "urn:example:echo"
checks = 0
failures = 0


class EncodingTransport(Transport):
    def __init__(self, encoding):
        super().__init__()
        self.encoding = encoding

    def post_xml(self, address, envelope, headers):
        message = etree.tostring(envelope, encoding=self.encoding, xml_declaration=True)
        media = headers.get("Content-Type", "text/xml; charset=utf-8").split(";")
        kept = [p for p in media[1:] if not p.strip().lower().startswith("charset=")]
        headers["Content-Type"] = ";".join([media[0], " charset=" + self.encoding] + kept)
        return self.post(address, message, headers)


def result(name, good, expected, actual):
    global checks, failures
    checks += 1
    if good:
        print("OK " + name, flush=True)
    else:
        failures += 1
        print("FAIL %s expected=%r actual=%r" % (name, expected, actual), flush=True)


def run(name, service, text):
    try:
        kind = service.RaiseFault(kind="none", message=text)
        result(name + "/none", kind == "none", "none", kind)
    except Exception as error:  # noqa: BLE001 - every failure is a check line
        result(name + "/none", False, "a response", repr(error))
    try:
        service.RaiseFault(kind="echo", message=text)
        result(name + "/echo", False, "EchoFault", "a normal response")
    except Fault as fault:
        message = fault.detail.find("{%s}EchoFaultDetail/{%s}message" % (ECHO_NS, ECHO_NS)) if fault.detail is not None else None
        actual = message.text if message is not None else None
        result(name + "/echo", actual == text, text, actual)
    except Exception as error:  # noqa: BLE001
        result(name + "/echo", False, "EchoFault", repr(error))


def main():
    wsdl, endpoint, encoding, text = sys.argv[1:5]
    client = Client(wsdl, transport=EncodingTransport(encoding))
    for version, binding in (("soap11", "EchoSoap11Binding"), ("soap12", "EchoSoap12Binding")):
        service = client.create_service("{%s}%s" % (ECHO_NS, binding), endpoint)
        run("%s/%s" % (version, encoding), service, text)
    print("DONE %d %d" % (checks, failures), flush=True)
    sys.exit(0 if failures == 0 else 1)


main()
