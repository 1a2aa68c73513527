"""Shell-like file helpers (ls, cat, cp, mv, find, tree ...), confined to /app."""

import os

from ._paths import WORKSPACE, is_internal, read_text, safe_path, write_text


def ls(path=WORKSPACE, long=False):
    """List a directory's entries, sorted. With ``long``, dicts with name, size and is_dir."""
    full = safe_path(path)
    names = sorted(n for n in os.listdir(full) if not is_internal(os.path.join(full, n)))
    if not long:
        return names
    out = []
    for n in names:
        st = os.stat(os.path.join(full, n))
        is_dir = os.path.isdir(os.path.join(full, n))
        out.append({"name": n, "size": 0 if is_dir else st.st_size, "is_dir": is_dir})
    return out


def cat(*paths):
    """Return the concatenated text of one or more files."""
    if not paths:
        raise ValueError("sandbox_utils.cat: give at least one path")
    return "".join(read_text(p) for p in paths)


def echo(text="", path=None, append=False):
    """Return ``text`` + newline; with ``path``, also write (or append) it to that file."""
    line = f"{text}\n"
    if path is not None:
        write_text(path, line, append=append)
    return line


def touch(path):
    """Create an empty file, or update the modification time of an existing one."""
    full = safe_path(path, allow_root=False)
    with open(full, "a", encoding="utf-8"):
        pass
    try:
        os.utime(full)
    except OSError:
        pass  # a virtual filesystem may not keep times; the file exists, which is what matters


def mkdir(path, parents=True):
    """Create a directory (and its parents unless ``parents=False``); no error if it exists."""
    full = safe_path(path, allow_root=False)
    if parents:
        os.makedirs(full, exist_ok=True)
    elif not os.path.isdir(full):
        os.mkdir(full)


def rm(path, recursive=False):
    """Remove a file, or a directory tree with ``recursive=True``."""
    full = safe_path(path, allow_root=False)
    if os.path.isdir(full):
        if not recursive:
            raise IsADirectoryError(f"sandbox_utils.rm: {path!r} is a directory; pass recursive=True")
        remove_tree(full)
    else:
        os.remove(full)


def cp(src, dst, recursive=False):
    """Copy a file (or a tree with ``recursive=True``); a directory ``dst`` receives it by name."""
    s = safe_path(src, allow_root=False)
    d = safe_path(dst)
    if os.path.isdir(d):
        d = os.path.join(d, os.path.basename(s))
    if os.path.isdir(s):
        if not recursive:
            raise IsADirectoryError(f"sandbox_utils.cp: {src!r} is a directory; pass recursive=True")
        return copy_tree(s, d)
    _copy_file(s, d)
    return d


def mv(src, dst):
    """Move or rename a file or directory; a directory ``dst`` receives it by name."""
    s = safe_path(src, allow_root=False)
    d = safe_path(dst)
    if os.path.isdir(d):
        d = os.path.join(d, os.path.basename(s))
    try:
        os.rename(s, d)
    except OSError:
        # Some virtual filesystems cannot rename directories: copy, then delete.
        if os.path.isdir(s):
            copy_tree(s, d)
            remove_tree(s)
        else:
            _copy_file(s, d)
            os.remove(s)
    return d


def walk(path=WORKSPACE):
    """Like os.walk, confined to /app and skipping the sandbox's internal directory."""
    full = safe_path(path)
    for root, dirs, files in os.walk(full):
        dirs[:] = sorted(d for d in dirs if not is_internal(os.path.join(root, d)))
        yield root, dirs, sorted(files)


def find(pattern="*", path=WORKSPACE, type=None):
    """Paths under ``path`` whose name matches the glob ``pattern``; ``type`` 'f' or 'd' filters."""
    import fnmatch

    if type not in (None, "f", "d"):
        raise ValueError("sandbox_utils.find: type must be None, 'f' or 'd'")
    out = []
    for root, dirs, files in walk(path):
        if type in (None, "d"):
            out.extend(os.path.join(root, d) for d in dirs if fnmatch.fnmatch(d, pattern))
        if type in (None, "f"):
            out.extend(os.path.join(root, f) for f in files if fnmatch.fnmatch(f, pattern))
    return sorted(out)


def tree(path=WORKSPACE, max_depth=None):
    """A text drawing of the directory tree under ``path``."""
    full = safe_path(path)
    lines = [full]

    def draw(d, prefix, depth):
        if max_depth is not None and depth >= max_depth:
            return
        names = sorted(n for n in os.listdir(d) if not is_internal(os.path.join(d, n)))
        for i, n in enumerate(names):
            last = i == len(names) - 1
            p = os.path.join(d, n)
            lines.append(prefix + ("└── " if last else "├── ") + n + ("/" if os.path.isdir(p) else ""))
            if os.path.isdir(p):
                draw(p, prefix + ("    " if last else "│   "), depth + 1)

    draw(full, "", 0)
    return "\n".join(lines)


def copy_tree(src, dst):
    """Copy a directory tree; returns the destination path."""
    s = safe_path(src)
    d = safe_path(dst, allow_root=False)
    if d == s or d.startswith(s + "/"):
        raise ValueError(f"sandbox_utils.copy_tree: cannot copy {src!r} into itself")
    os.makedirs(d, exist_ok=True)
    for root, dirs, files in walk(s):
        target = d + root[len(s):]
        for name in dirs:
            os.makedirs(os.path.join(target, name), exist_ok=True)
        for name in files:
            _copy_file(os.path.join(root, name), os.path.join(target, name))
    return d


def remove_tree(path):
    """Delete a directory and everything in it (never /app itself)."""
    full = safe_path(path, allow_root=False)
    for root, dirs, files in os.walk(full, topdown=False):
        for name in files:
            os.remove(os.path.join(root, name))
        for name in dirs:
            os.rmdir(os.path.join(root, name))
    os.rmdir(full)


def _copy_file(s, d):
    with open(s, "rb") as fi, open(d, "wb") as fo:
        while True:
            buf = fi.read(1 << 16)
            if not buf:
                break
            fo.write(buf)
