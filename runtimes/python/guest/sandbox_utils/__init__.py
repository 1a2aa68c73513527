"""sandbox_utils: shell-like file helpers and data helpers for code running in the sandbox.

Every path is checked to stay inside /app ('..' is refused with a ValueError).
Importing this module is cheap: heavy modules load only in the helpers that use them.
"""

from .data import chunk, csv_to_json, filter_by, group_by, json_to_csv, sort_by, unique, xml_to_dict
from .files import cat, copy_tree, cp, echo, find, ls, mkdir, mv, remove_tree, rm, touch, tree, walk
from .text import diff, grep, head, sed, tail, wc
from ._paths import safe_path

__all__ = [
    "cat", "chunk", "copy_tree", "cp", "csv_to_json", "diff", "echo", "filter_by", "find",
    "grep", "group_by", "head", "json_to_csv", "ls", "mkdir", "mv", "remove_tree", "rm",
    "safe_path", "sed", "sort_by", "tail", "touch", "tree", "unique", "walk", "wc", "xml_to_dict",
]
