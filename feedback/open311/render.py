"""The spec's two formats: JSON lists and XML documents whose element names the spec fixes."""

import json
import re
import xml.etree.ElementTree as ET

from django.http import HttpResponse

# A list's element name -> the name of each item in it.
ITEM = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _element(parent, tag, value):
    node = ET.SubElement(parent, tag)
    _fill(node, tag, value)


def _fill(node, tag, value):
    if isinstance(value, dict):
        for key, child in value.items():
            _element(node, key, child)
    elif isinstance(value, list):
        for child in value:
            _element(node, ITEM.get(tag, "item"), child)
    else:
        node.text = _text(value)


def xml_bytes(root, value):
    node = ET.Element(root)
    _fill(node, root, value)
    return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(node, encoding="utf-8", xml_declaration=False)


def respond(fmt, root, value, status=200):
    """``value`` as JSON (the value itself) or as XML under ``root``."""
    if fmt == "xml":
        return HttpResponse(xml_bytes(root, value), status=status, content_type="text/xml; charset=utf-8")
    body = json.dumps(value, ensure_ascii=False, default=str)
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def errors(fmt, status, *descriptions):
    """The spec's error answer: a list of {code, description}."""
    items = [{"code": status, "description": str(text)} for text in descriptions]
    return respond(fmt, "errors", items, status=status)
