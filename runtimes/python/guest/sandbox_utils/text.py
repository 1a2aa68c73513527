"""Text helpers in the spirit of grep, sed, head, tail, wc and diff, confined to /app."""

import os

from ._paths import read_text, safe_path, write_text
from .files import walk


def grep(pattern, paths, ignore_case=False, fixed=False):
    """Search files (directories are searched recursively) for a regex or, with
    ``fixed=True``, a plain string. Returns ``[(path, line_number, line), ...]``."""
    import re

    flags = re.IGNORECASE if ignore_case else 0
    rx = re.compile(re.escape(pattern) if fixed else pattern, flags)
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    hits = []
    for p in paths:
        full = safe_path(p)
        files = [os.path.join(r, f) for r, _, fs in walk(full) for f in fs] if os.path.isdir(full) else [full]
        for f in files:
            try:
                text = read_text(f)
            except UnicodeDecodeError:
                continue  # binary files are skipped, as grep -I would
            for i, line in enumerate(text.splitlines(), 1):
                if rx.search(line):
                    hits.append((f, i, line))
    return hits


def sed(pattern, replacement, path, count=0, in_place=True):
    """Regex substitution over a file's text (re.sub semantics); writes it back unless
    ``in_place=False``. Returns the new text."""
    import re

    new = re.sub(pattern, replacement, read_text(path), count=count)
    if in_place:
        write_text(path, new)
    return new


def head(path, n=10):
    """The first ``n`` lines of a file."""
    return "".join(read_text(path).splitlines(keepends=True)[:n])


def tail(path, n=10):
    """The last ``n`` lines of a file."""
    lines = read_text(path).splitlines(keepends=True)
    return "".join(lines[-n:] if n > 0 else [])


def wc(path):
    """Line, word, character and byte counts of a file, as a dict."""
    full = safe_path(path, allow_root=False)
    with open(full, "rb") as f:
        data = f.read()
    text = data.decode("utf-8", errors="replace")
    return {"lines": text.count("\n"), "words": len(text.split()), "chars": len(text), "bytes": len(data)}


def diff(a, b, context=3):
    """A unified diff between two files ('' when they are equal)."""
    import difflib

    la = read_text(a).splitlines(keepends=True)
    lb = read_text(b).splitlines(keepends=True)
    return "".join(difflib.unified_diff(la, lb, fromfile=safe_path(a), tofile=safe_path(b), n=context))
