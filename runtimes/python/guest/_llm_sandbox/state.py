"""autoPersistGlobals: the JSON-like globals of one execution, saved after it and loaded
into the next execution of the same session.

The file format is plain JSON with a small tagging scheme ({"__t": "tuple", "v": [...]})
for the built-in types JSON lacks. What happened is reported as a ``state`` fact on the
control channel (``fact``). The loader never fails a run: a file the guest (or anything
else) damaged, emptied, or nested 100,000 deep becomes a ``fresh`` fact and a fresh start.
"""

import json
import os

#: Deepest nesting saved or loaded (deeper values are skipped when saving, refused when loading).
MAX_DEPTH = 64
#: Largest state file read (bytes); a bigger one is ignored with a note.
MAX_BYTES = 64 * 1024 * 1024


def _decode(v, depth):
    if depth > MAX_DEPTH:
        raise ValueError("nested too deeply")
    d = depth + 1
    if isinstance(v, list):
        return [_decode(x, d) for x in v]
    if not isinstance(v, dict):
        return v
    t = v.get("__t")
    if t is None:
        return {k: _decode(x, d) for k, x in v.items()}
    x = v.get("v")
    if t == "tuple":
        return tuple(_decode(i, d) for i in x)
    if t == "set":
        return set(_decode(i, d) for i in x)
    if t == "frozenset":
        return frozenset(_decode(i, d) for i in x)
    if t == "bytes":
        return bytes.fromhex(x)
    if t == "bytearray":
        return bytearray.fromhex(x)
    if t == "float":
        return float(x)
    if t == "complex":
        return complex(x[0], x[1])
    if t == "dict":
        return {_decode(k, d): _decode(i, d) for k, i in x}
    raise ValueError(f"unknown tag {t!r}")


def load(path, g, fact):
    """Loads saved globals into ``g``; anything unreadable is reported and ignored."""
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return
    except OSError as e:
        return _ignored(fact, f"it could not be read ({e.strerror or e})")
    if len(raw) > MAX_BYTES:
        return _ignored(fact, f"it is larger than {MAX_BYTES} bytes")
    try:
        data = json.loads(raw)
        saved = data.get("globals") if isinstance(data, dict) else None
        if not isinstance(saved, dict):
            return _ignored(fact, "it does not hold a globals object")
        values = {k: _decode(v, 0) for k, v in saved.items() if isinstance(k, str)}
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError, MemoryError) as e:
        return _ignored(fact, f"it is not valid saved state ({type(e).__name__})")
    g.update(values)


def _ignored(fact, why):
    fact({"kind": "state", "status": "fresh", "reason": why})


def _encode(v, depth):
    t = type(v)
    if t is type(None) or t is bool or t is int or t is str:
        return v
    if t is float:
        return v if v == v and v not in (float("inf"), float("-inf")) else {"__t": "float", "v": repr(v)}
    if depth >= MAX_DEPTH:
        raise TypeError("nested too deeply (or self-referencing)")
    d = depth + 1
    if t is list:
        return [_encode(x, d) for x in v]
    if t is tuple:
        return {"__t": "tuple", "v": [_encode(x, d) for x in v]}
    if t is set or t is frozenset:
        return {"__t": t.__name__, "v": [_encode(x, d) for x in v]}
    if t is bytes or t is bytearray:
        return {"__t": t.__name__, "v": v.hex()}
    if t is complex:
        return {"__t": "complex", "v": [v.real, v.imag]}
    if t is dict:
        if all(type(k) is str for k in v) and "__t" not in v:
            return {k: _encode(x, d) for k, x in v.items()}
        return {"__t": "dict", "v": [[_encode(k, d), _encode(x, d)] for k, x in v.items()]}
    raise TypeError(t.__name__)


def save(path, g, fact):
    """Saves the JSON-like globals of ``g`` (not names starting with '_', not modules)."""
    kept, skipped = {}, []
    for k, v in list(g.items()):
        if k.startswith("_") or type(v).__name__ == "module":
            continue
        try:
            kept[k] = _encode(v, 0)
        except (TypeError, ValueError, RecursionError) as e:
            skipped.append({"name": k, "reason": f"a {type(v).__name__} cannot be persisted ({e})"[:300]})
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"version": 1, "globals": kept}, f)
    except OSError as e:
        fact({"kind": "state", "status": "unsaved", "reason": str(e)[:500], "skipped": skipped})
        return
    fact({"kind": "state", "status": "saved", "skipped": skipped})
