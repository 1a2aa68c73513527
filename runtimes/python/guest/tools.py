"""Host functions ("tools") this sandbox was given.

    from tools import search
    hits = search(query="wasm", limit=3)

Each tool is a function taking keyword arguments (or one dict) and returning JSON data
(dict, list, str, int, float, bool or None). The call runs on the host; your program
waits for it. A failed call raises ToolError, whose `kind` says why (UnknownTool,
InvalidArguments, ToolFailed, ToolTimeout, ToolBudgetExceeded, ...). `help(search)`
shows a tool's parameters.

Engine-independent: the interpreter's bootstrap provides the `_llm_sandbox_host` module,
whose `request(line)` writes one JSON line on the sandbox's control channel and returns
the reply line.
"""

import json as _json
import json.encoder as _json_encoder
import json.scanner as _json_scanner

import _llm_sandbox_host as _host

_str = str
_dict = dict
_isinstance = isinstance


class ToolError(Exception):
    """A host function call failed: `tool` is its name, `kind` the reason, the message what happened."""

    def __init__(self, tool, kind, message):
        super().__init__(message)
        self.tool = tool
        self.kind = kind

    def __str__(self):
        return f"{self.tool}: {self.kind}: {self.args[0]}"


def _not_json(value):
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# One encoder and one scanner for the whole run: json.dumps and json.loads build theirs on
# every call, which was most of what a call cost. No circular-reference markers (a failed
# encode would leave stale ones behind): a cycle ends in RecursionError instead.
if _json_encoder.c_make_encoder is not None:
    _c_encode = _json_encoder.c_make_encoder(None, _not_json, _json_encoder.encode_basestring, None, ":", ",", False, False, False)

    def _encode(value):
        return "".join(_c_encode(value, 0))
else:
    _encode = _json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_not_json).encode
_scan = _json_scanner.make_scanner(_json.JSONDecoder())


def _send(tool, line):
    reply = _host.request(line)
    if not reply:
        raise ToolError(tool, "NoReply", "the host did not answer")
    return _scan(reply, 0)[0]


def call_tool(name, args=None, /, **kwargs):
    """Calls the host function `name` with a dict of arguments or keyword arguments."""
    if args is None:
        args = kwargs
    elif kwargs:
        raise TypeError(f"{name}() takes either one dict of arguments or keyword arguments, not both")
    elif not _isinstance(args, _dict):
        raise TypeError(f"{name}() arguments must be a dict, not {type(args).__name__}")
    try:
        line = '{"kind":"call","tool":' + _encode(name) + ',"args":' + _encode(args) + "}"
    except (TypeError, ValueError) as e:
        raise TypeError(f"{name}() arguments must be JSON data: {e}") from None
    reply = _send(name, line)
    if reply.get("ok"):
        return reply.get("value")
    error = reply.get("error") or {}
    raise ToolError(name, _str(error.get("name", "ToolError")), _str(error.get("message", "")))


def _stub(entry):
    name = entry["name"]

    def tool(args=None, /, **kwargs):
        return call_tool(name, args, **kwargs)

    params = []
    lines = []
    for p in entry.get("parameters", []):
        params.append(p["name"] + ("" if p.get("required") else "=None") + ": " + p.get("type", "unknown"))
        if p.get("description"):
            lines.append(f"    {p['name']}: {p['description']}")
    doc = f"{name}({', '.join(params)}) -> {entry.get('returns', 'unknown')}\n\n{entry.get('description', '')}"
    if lines:
        doc += "\n\nParameters:\n" + "\n".join(lines)
    tool.__name__ = tool.__qualname__ = name
    tool.__module__ = __name__
    tool.__doc__ = doc
    return tool


_manifest = _send("tools", '{"kind":"tools"}').get("value") or []
for _entry in _manifest:
    globals()[_entry["name"]] = _stub(_entry)
__all__ = [_entry["name"] for _entry in _manifest]
del _entry
