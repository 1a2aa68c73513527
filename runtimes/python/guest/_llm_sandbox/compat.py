"""Standard-library behaviour this build of CPython lacks, added in pure Python.

- ``hashlib.pbkdf2_hmac``: Pyodide builds CPython without OpenSSL, and since 3.12 the
  function exists only when OpenSSL does. PBKDF2 (RFC 8018, section 5.2) over the built-in
  hash functions gives the same results; it is slower than OpenSSL's, so large iteration
  counts cost more fuel.
- ``time.sleep``: emscripten's C library sleeps by spinning on the clock (burning fuel for
  the whole sleep). Waiting in ``poll`` with nothing to watch is a real sleep in the
  sandbox (and a virtual one in deterministic mode), so ``time.sleep`` waits that way.
"""

import hashlib
import math
import select
import time

_INNER = bytes(b ^ 0x36 for b in range(256))
_OUTER = bytes(b ^ 0x5C for b in range(256))


def pbkdf2_hmac(hash_name, password, salt, iterations, dklen=None):
    """Password-based key derivation function 2 with HMAC as the pseudorandom function."""
    password = bytes(memoryview(password))
    salt = bytes(memoryview(salt))
    if iterations < 1:
        raise ValueError("iteration value must be greater than 0.")
    inner = hashlib.new(hash_name)
    outer = hashlib.new(hash_name)
    block = getattr(inner, "block_size", 64)
    if len(password) > block:
        password = hashlib.new(hash_name, password).digest()
    key = password.ljust(block, b"\0")
    inner.update(key.translate(_INNER))
    outer.update(key.translate(_OUTER))
    size = outer.digest_size
    if dklen is None:
        dklen = size
    if dklen < 1:
        raise ValueError("key length must be greater than 0.")

    def prf(message):
        i = inner.copy()
        o = outer.copy()
        i.update(message)
        o.update(i.digest())
        return o.digest()

    out = bytearray()
    index = 1
    while len(out) < dklen:
        u = prf(salt + index.to_bytes(4, "big"))
        acc = int.from_bytes(u, "big")
        for _ in range(iterations - 1):
            u = prf(u)
            acc ^= int.from_bytes(u, "big")
        out += acc.to_bytes(size, "big")
        index += 1
    return bytes(out[:dklen])


_poller = select.poll()
_monotonic = time.monotonic


def sleep(seconds):
    """Suspends execution for the given number of seconds (a float for sub-second precision)."""
    if not isinstance(seconds, (int, float)):
        seconds = float(seconds)  # TypeError for what time.sleep rejects too
    if math.isnan(seconds) or seconds < 0:
        raise ValueError("sleep length must be non-negative")
    deadline = _monotonic() + seconds
    while (remaining := deadline - _monotonic()) > 0:
        _poller.poll(min(remaining, 3600.0) * 1000.0)


def install():
    """Adds what is missing; leaves anything the build does have alone."""
    time.sleep = sleep
    if not hasattr(hashlib, "pbkdf2_hmac"):
        hashlib.pbkdf2_hmac = pbkdf2_hmac
        hashlib.__all__ = (*hashlib.__all__, "pbkdf2_hmac")
