import base64
samples = [b"", b"f", b"fo", b"foo", b"foobar", "héllo wörld".encode(), bytes(range(256))]
for s in samples:
    e = base64.b64encode(s).decode()
    assert base64.b64decode(e) == s
    print(len(s), e[:40])
big = bytes((i * i) % 251 for i in range(30000))
enc = base64.b64encode(big)
print(len(enc), enc[-16:].decode(), base64.b64decode(enc) == big)
print(base64.urlsafe_b64encode(b"\xfb\xff\xfe").decode())
