raw = "; ".join(f"key{i}={'v' * (i % 4 + 1)}{i}" for i in range(2000)) + "; broken; =x; empty="
parsed, bad = {}, []
for part in raw.split(";"):
    part = part.strip()
    if "=" not in part or part.startswith("="):
        bad.append(part)
        continue
    k, v = part.split("=", 1)
    parsed[k] = v
print(len(parsed), bad, parsed["key1999"], repr(parsed["empty"]))
qs = "a=1&b=two+words&c=%C3%A9t%C3%A9&a=3"
from urllib.parse import parse_qs, urlencode, urlparse
print(parse_qs(qs), urlencode({"q": "x y", "n": 5}))
u = urlparse("https://user@example.com:8080/path/to?x=1#frag")
print(u.hostname, u.port, u.path, u.query, u.fragment)
