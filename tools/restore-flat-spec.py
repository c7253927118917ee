#!/usr/bin/env python3
"""Restores the indentation of an OpenAPI YAML document whose line breaks were collapsed.

Usage: restore-flat-spec.py SEED.txt > spec/alteryx-server-v3.yaml

The vendor spec reached us as one line (`../shared/seeds/000_*.txt`). Whitespace carries YAML's
structure, so this script rebuilds it from what OpenAPI allows where: a recursive-descent reader
over the flat tokens knows, for each kind of object (operation, parameter, schema, ...), which keys
it can hold, and ends an object at the first key that belongs to an enclosing one. It only inserts
line breaks and indentation; every token is written back verbatim (quoting included), so
`../shared/tools/spec-fidelity` can prove that nothing was changed.

Where the flat text is ambiguous the spec's own patterns decide:
- an `items` schema never takes `description` or `example`: those belong to the array;
- properties of a nested inline object never take `example`: it belongs to the outer property;
- a property map ends at the name of a component schema that some `$ref` names.
This is a one-off tool kept for the record; vendor updates are expected as proper YAML.
"""
import re
import sys
import textwrap

SCALAR, FOLDED, ANY = "scalar", "folded", "any"

def seq(kind):
    return ("seq", kind)

def amap(kind, key_ok):
    return ("map", kind, key_ok)

ANYKEY = lambda k: True

GRAMMAR = {}
GRAMMAR["root"] = {"openapi": SCALAR, "info": "info", "externalDocs": "docs", "servers": seq("server"),
                   "security": seq("secreq"), "tags": seq("tag"), "paths": amap("pathitem", lambda k: k.startswith("/")),
                   "components": "components"}
GRAMMAR["info"] = {"title": SCALAR, "description": FOLDED, "version": SCALAR, "contact": "contact",
                   "license": "license", "termsOfService": SCALAR, "x-logo": "xlogo"}
GRAMMAR["contact"] = {"name": SCALAR, "email": SCALAR, "url": SCALAR}
GRAMMAR["license"] = {"name": SCALAR, "url": SCALAR, "identifier": SCALAR}
GRAMMAR["xlogo"] = {"url": SCALAR, "altText": SCALAR}
GRAMMAR["docs"] = {"description": FOLDED, "url": SCALAR}
GRAMMAR["server"] = {"url": SCALAR, "description": FOLDED, "variables": amap("servervar", ANYKEY)}
GRAMMAR["servervar"] = {"default": SCALAR, "description": FOLDED, "enum": seq(SCALAR)}
GRAMMAR["secreq"] = None  # a single `name: []`
GRAMMAR["tag"] = {"name": SCALAR, "description": FOLDED, "externalDocs": "docs"}
METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
GRAMMAR["pathitem"] = dict({m: "operation" for m in METHODS}, summary=SCALAR, description=FOLDED,
                           parameters=seq("parameter"))
GRAMMAR["operation"] = {"operationId": SCALAR, "summary": SCALAR, "description": FOLDED, "tags": seq(SCALAR),
                        "parameters": seq("parameter"), "requestBody": "requestbody",
                        "responses": amap("response", lambda k: k.startswith("'") or k == "default"),
                        "security": seq("secreq"), "deprecated": SCALAR, "externalDocs": "docs",
                        "x-microcks-operation": "microcks"}
GRAMMAR["microcks"] = {"delay": SCALAR, "dispatcher": SCALAR, "dispatcherRules": SCALAR}
GRAMMAR["parameter"] = {"$ref": SCALAR, "name": SCALAR, "in": SCALAR, "description": FOLDED, "required": SCALAR,
                        "deprecated": SCALAR, "schema": "schema0", "example": ANY, "style": SCALAR,
                        "explode": SCALAR}
GRAMMAR["requestbody"] = {"$ref": SCALAR, "description": FOLDED, "required": SCALAR,
                          "content": amap("mediatype", lambda k: "/" in k)}
GRAMMAR["response"] = {"$ref": SCALAR, "description": FOLDED, "content": amap("mediatype", lambda k: "/" in k)}
GRAMMAR["mediatype"] = {"schema": "schema0", "example": ANY}
GRAMMAR["components"] = {"securitySchemes": amap("secscheme", ANYKEY), "parameters": amap("parameter", ANYKEY),
                         "schemas": amap("schema0", lambda k: k[:1].isupper()),
                         "responses": amap("response", ANYKEY), "requestBodies": amap("requestbody", ANYKEY)}
GRAMMAR["secscheme"] = {"type": SCALAR, "description": FOLDED, "flows": "flows", "name": SCALAR, "in": SCALAR,
                        "scheme": SCALAR, "bearerFormat": SCALAR}
GRAMMAR["flows"] = {"clientCredentials": "flow", "authorizationCode": "flow", "implicit": "flow", "password": "flow"}
GRAMMAR["flow"] = {"tokenUrl": SCALAR, "authorizationUrl": SCALAR, "refreshUrl": SCALAR, "scopes": ANY}

# Schemas: schema0 = a root (component, body, parameter), schema1 = its property,
# schema2 = property of a nested inline object,
# items = an array's item schema (see the module comment for why they differ).
SCHEMA_COMMON = {"type": SCALAR, "format": SCALAR, "$ref": SCALAR, "enum": seq(SCALAR), "default": ANY,
                 "nullable": SCALAR, "minimum": SCALAR, "maximum": SCALAR, "minLength": SCALAR,
                 "maxLength": SCALAR, "pattern": SCALAR, "readOnly": SCALAR, "writeOnly": SCALAR,
                 "deprecated": SCALAR, "title": SCALAR, "minItems": SCALAR, "maxItems": SCALAR,
                 "uniqueItems": SCALAR}
OBJECT_ONLY = {"properties", "required", "additionalProperties"}
ARRAY_ONLY = {"items"}
# Filled by main(): the component schema names that `$ref`s name. A property map ends at one of them
# (a property may be PascalCase too, e.g. `NewPassword`).
REFERENCED = set()
not_pascal = lambda k: k not in REFERENCED
GRAMMAR["schema0"] = dict(SCHEMA_COMMON, description=FOLDED, example=ANY, items="items",
                          properties=amap("schema1", not_pascal), required=seq(SCALAR), additionalProperties=ANY)
GRAMMAR["schema1"] = dict(GRAMMAR["schema0"], properties=amap("schema2", not_pascal))
GRAMMAR["schema2"] = dict(SCHEMA_COMMON, description=FOLDED, items="items",
                          properties=amap("schema2", not_pascal), required=seq(SCALAR))
GRAMMAR["items"] = dict(SCHEMA_COMMON, items="items", properties=amap("schema2", not_pascal),
                        required=seq(SCALAR))
SCHEMA_KINDS = {"schema0", "schema1", "schema2", "items"}


def tokenize(text):
    tokens, i, n = [], 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        if text[i] == "'":
            j = i + 1
            while True:
                j = text.index("'", j)
                if j + 1 < n and text[j + 1] == "'":
                    j += 2
                    continue
                break
            j += 1
            while j < n and not text[j].isspace():
                j += 1
            tokens.append(text[i:j])
            i = j
        else:
            j = i
            while j < n and not text[j].isspace():
                j += 1
            tokens.append(text[i:j])
            i = j
    return tokens


def key_of(tok):
    """The key named by a `key:` token, or None."""
    if tok.endswith(":") and len(tok) > 1:
        return tok[:-1]
    return None


class Reader:
    def __init__(self, tokens):
        self.t, self.i = tokens, 0

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else None

    def take(self):
        tok = self.t[self.i]
        self.i += 1
        return tok

    def fail(self, msg):
        ctx = " ".join(self.t[max(0, self.i - 8):self.i + 8])
        raise SystemExit(f"restore: {msg} at token {self.i}: ...{ctx}...")

    def scalar(self, stop_at_dash, folded_ends):
        """Words up to the next key token; `folded_ends` says which keys end a folded scalar."""
        words = []
        folded = self.peek() == ">-"
        if folded:
            self.take()
        while (tok := self.peek()) is not None:
            k = key_of(tok)
            if k is not None and (not folded or folded_ends(k)):
                break
            if tok == "-" and words:
                after = self.t[self.i + 1] if self.i + 1 < len(self.t) else None
                # `- key:` starts the next item of an enclosing sequence of objects.
                if stop_at_dash or (after is not None and key_of(after) is not None):
                    break
            words.append(self.take())
            if not folded and words[-1].startswith("'") and words[-1].endswith("'"):
                break
        if not words:
            self.fail("empty scalar")
        return ("folded" if folded else "scalar", " ".join(words))

    def value(self, kind, accepts, in_seq=False):
        """Reads a value of grammar `kind`; `accepts(k)` tells whether an enclosing object takes key k."""
        tok = self.peek()
        if kind in (SCALAR, FOLDED, ANY) or kind is None:
            if tok in ("[]", "{}"):
                return ("scalar", self.take())
            if tok == "-":
                return self.sequence(SCALAR, accepts)
            return self.scalar(in_seq, lambda k: accepts(k))
        if isinstance(kind, tuple) and kind[0] == "seq":
            if tok == "[]":
                return ("scalar", self.take())
            return self.sequence(kind[1], accepts)
        if isinstance(kind, tuple) and kind[0] == "map":
            if tok == "{}":
                return ("scalar", self.take())
            return self.free_map(kind[1], kind[2], accepts)
        return self.obj(kind, accepts)

    def sequence(self, kind, accepts):
        items = []
        while self.peek() == "-":
            after = self.t[self.i + 1] if self.i + 1 < len(self.t) else None
            if kind in (SCALAR, ANY) and after is not None and key_of(after) is not None:
                break  # `- key:` is the next item of an enclosing sequence of objects
            self.take()
            if kind == "secreq":
                k = key_of(self.take())
                items.append(("map", [(k, ("scalar", self.take()))]))
            elif kind == SCALAR:
                items.append(self.scalar(True, accepts))
            else:
                items.append(self.obj(kind, accepts))
        return ("seq", items)

    def free_map(self, kind, key_ok, accepts):
        entries = []
        while (tok := self.peek()) is not None:
            k = key_of(tok)
            # A key that an enclosing object takes as a keyword ends the map.
            if k is None or not key_ok(k) or accepts(k):
                break
            self.take()
            entries.append((k, self.value(kind, accepts)))
        return ("map", entries)

    def obj(self, kind, accepts):
        grammar = GRAMMAR[kind]
        entries, seen = [], set()

        def own(k):
            if k in seen or k not in grammar:
                return False
            if kind in SCHEMA_KINDS:
                typ = dict(entries).get("type")
                typ = typ[1] if typ else None
                if k in OBJECT_ONLY and typ not in (None, "object"):
                    return False
                if k in ARRAY_ONLY and typ not in (None, "array"):
                    return False
                if "$ref" in seen:
                    return False
            return True

        while (tok := self.peek()) is not None:
            k = key_of(tok)
            if k is None or not own(k):
                if k is None or not accepts(k):
                    if k is not None and k.startswith("x-") is False and not entries:
                        self.fail(f"unexpected key {k!r} in {kind}")
                    if k is None and tok != "-":
                        self.fail(f"unexpected token {tok!r} in {kind}")
                break
            self.take()
            seen.add(k)
            inner_accepts = lambda kk, own=own, accepts=accepts: own(kk) or accepts(kk)
            entries.append((k, self.value(grammar[k], inner_accepts)))
        return ("map", entries)


def emit(node, indent, out, key_prefix):
    kind, body = node
    pad = "  " * indent
    if kind == "scalar":
        out.append(f"{key_prefix} {body}" if key_prefix else f"{pad}{body}")
    elif kind == "folded":
        out.append(f"{key_prefix} >-")
        width = max(40, 100 - len(pad) - 2)
        for line in textwrap.wrap(body, width, break_long_words=False, break_on_hyphens=False):
            out.append(f"{pad}  {line}")
    elif kind == "seq":
        out.append(key_prefix)
        for item in body:
            item_pad = "  " * (indent + 1)
            if item[0] == "map":
                first = len(out)
                emit(item, indent + 2, out, None)
                out[first] = f"{item_pad}- " + out[first].lstrip()
            else:
                out.append(f"{item_pad}- {item[1]}")
    elif kind == "map":
        if key_prefix:
            out.append(key_prefix)
            indent += 1
        pad = "  " * indent
        for k, v in body:
            prefix = f"{pad}{k}:"
            if v[0] == "scalar":
                out.append(f"{prefix} {v[1]}")
            else:
                emit(v, indent, out, prefix)


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    REFERENCED.update(re.findall(r"#/components/schemas/(\w+)'", text))
    reader = Reader(tokenize(text))
    doc = reader.obj("root", lambda k: False)
    if reader.peek() is not None:
        reader.fail("trailing text")
    out = []
    emit(doc, 0, out, None)
    sys.stdout.write("\n".join(out) + "\n")


main()
