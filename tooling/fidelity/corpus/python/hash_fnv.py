def fnv1a(data):
    h = 0x811C9DC5
    for b in data:
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h
data = bytes((i * 31 + 7) % 256 for i in range(200000))
print(hex(fnv1a(data)), hex(fnv1a(b"hello")), hex(fnv1a(b"")))
import hashlib
print(hashlib.sha256(b"hello world").hexdigest()[:16], hashlib.md5(data).hexdigest())
