# State persistence for Python (autoPersistGlobals): the globals of one execution that
# can be serialized are written to a JSON file under the workspace's internal directory
# and loaded back into the globals of the next execution of the same session. The format
# is plain JSON with a small tagging scheme ({"__t": "tuple", "v": [...]}) for the built-in
# types JSON lacks. What happened is reported as a `state` fact on the control channel.
#
# Prepended to the bootstrap when persistence is on: it defines the two functions below,
# which the bootstrap pops from the globals before the user's code runs.

def __llm_sandbox_load_state(path, g, fact):
    import json

    def dec(v):
        if isinstance(v, list):
            return [dec(x) for x in v]
        if isinstance(v, dict):
            t = v.get("__t")
            if t is None:
                return {k: dec(x) for k, x in v.items()}
            x = v.get("v")
            if t == "tuple":
                return tuple(dec(i) for i in x)
            if t == "set":
                return set(dec(i) for i in x)
            if t == "frozenset":
                return frozenset(dec(i) for i in x)
            if t == "bytes":
                return bytes.fromhex(x)
            if t == "bytearray":
                return bytearray.fromhex(x)
            if t == "float":
                return float(x)
            if t == "complex":
                return complex(x[0], x[1])
            if t == "dict":
                return {dec(k): dec(i) for k, i in x}
        return v

    # The file is guest-written: anything unreadable starts the run fresh (and says so),
    # it never fails the run.
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        saved = data.get("globals", {})
        loaded = {k: dec(v) for k, v in saved.items() if isinstance(k, str)}
    except FileNotFoundError:
        return
    except BaseException as e:
        fact({"kind": "state", "status": "fresh", "reason": f"{type(e).__name__}: {e}"[:500]})
        return
    g.update(loaded)


def __llm_sandbox_save_state(path, g, fact):
    import json
    import os
    scalar = (type(None), bool, int, str)

    def enc(v, depth):
        t = type(v)
        if t in scalar:
            return v
        if t is float:
            return v if v == v and v not in (float("inf"), float("-inf")) else {"__t": "float", "v": repr(v)}
        if depth > 64:
            raise TypeError("nested too deeply (or self-referencing)")
        d = depth + 1
        if t is list:
            return [enc(x, d) for x in v]
        if t is tuple:
            return {"__t": "tuple", "v": [enc(x, d) for x in v]}
        if t is set or t is frozenset:
            return {"__t": t.__name__, "v": [enc(x, d) for x in v]}
        if t is bytes or t is bytearray:
            return {"__t": t.__name__, "v": v.hex()}
        if t is complex:
            return {"__t": "complex", "v": [v.real, v.imag]}
        if t is dict:
            if all(type(k) is str for k in v) and "__t" not in v:
                return {k: enc(x, d) for k, x in v.items()}
            return {"__t": "dict", "v": [[enc(k, d), enc(x, d)] for k, x in v.items()]}
        raise TypeError(t.__name__)

    kept, skipped = {}, []
    for k, v in list(g.items()):
        if k.startswith("_") or type(v).__name__ == "module":
            continue
        try:
            kept[k] = enc(v, 0)
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
