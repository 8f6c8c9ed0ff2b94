"""Reference verdicts for the differential fuzz: libexpat (Python's xml.parsers.expat), namespace-aware.

Reads one base64-encoded document per line on stdin, writes one JSON line per document on stdout:
  {"ok": true, "tree": {"ns", "local", "attrs": [[ns, local, value]], "text", "children": [...]}}
  {"ok": false, "why": "..."}
"""
import base64
import json
import sys
import xml.parsers.expat

SEPARATOR = "\x01"


def verdict(data):
    # U+0001 cannot occur in an XML 1.0 document, so it cannot be part of a namespace URI (expat refuses
    # a URI containing the separator, which a space would make of every URI with normalized whitespace).
    parser = xml.parsers.expat.ParserCreate(encoding=None, namespace_separator=SEPARATOR)
    root = {}
    stack = []

    def split(name):
        if SEPARATOR in name:
            ns, local = name.split(SEPARATOR, 1)
            return ns, local
        return "", name

    def start(name, attrs):
        ns, local = split(name)
        node = {"ns": ns, "local": local, "attrs": [], "text": "", "children": []}
        for key, value in attrs.items():
            ans, alocal = split(key)
            node["attrs"].append([ans, alocal, value])
        if stack:
            stack[-1]["children"].append(node)
        else:
            root["tree"] = node
        stack.append(node)

    def end(name):
        stack.pop()

    def chars(text):
        if stack:
            stack[-1]["text"] += text

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as error:
        return {"ok": False, "why": str(error)}
    except (LookupError, ValueError) as error:  # an encoding declaration Python does not know
        return {"ok": False, "why": "encoding: %s" % (error,)}
    return {"ok": True, "tree": root.get("tree")}


for line in sys.stdin:
    sys.stdout.write(json.dumps(verdict(base64.b64decode(line.strip()))) + "\n")
