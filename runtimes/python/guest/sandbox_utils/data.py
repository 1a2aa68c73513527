"""Helpers for lists of records (dicts) and for CSV / JSON / XML conversion."""

from ._paths import read_text, safe_path, write_text


def _key_fn(key):
    if callable(key):
        return key
    return lambda item: item.get(key) if isinstance(item, dict) else getattr(item, key)


def group_by(items, key):
    """Group items by a dict key (or attribute, or a function): ``{value: [items...]}``."""
    fn = _key_fn(key)
    groups = {}
    for item in items:
        groups.setdefault(fn(item), []).append(item)
    return groups


def filter_by(items, predicate=None, **equals):
    """Items for which ``predicate(item)`` is true and every ``field=value`` matches."""
    out = []
    for item in items:
        if predicate is not None and not predicate(item):
            continue
        if all(_key_fn(k)(item) == v for k, v in equals.items()):
            out.append(item)
    return out


def sort_by(items, key, reverse=False):
    """Items sorted by a dict key, attribute or function; missing values sort first."""
    fn = _key_fn(key)
    return sorted(items, key=lambda item: (fn(item) is not None, fn(item)), reverse=reverse)


def unique(items, key=None):
    """Items with duplicates removed, first occurrence kept, order preserved."""
    fn = _key_fn(key) if key is not None else (lambda item: item)
    seen = []
    seen_hashable = set()
    out = []
    for item in items:
        k = fn(item)
        try:
            if k in seen_hashable:
                continue
            seen_hashable.add(k)
        except TypeError:  # unhashable keys (dicts, lists) fall back to a linear scan
            if k in seen:
                continue
            seen.append(k)
        out.append(item)
    return out


def chunk(items, size):
    """Split a sequence into lists of at most ``size`` items."""
    if not isinstance(size, int) or size < 1:
        raise ValueError("sandbox_utils.chunk: size must be a positive integer")
    items = list(items)
    return [items[i:i + size] for i in range(0, len(items), size)]


def csv_to_json(csv_path, json_path=None, delimiter=","):
    """Read a CSV file with a header row into a list of dicts; also write JSON to ``json_path``."""
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(read_text(csv_path)), delimiter=delimiter))
    if json_path is not None:
        import json

        write_text(json_path, json.dumps(rows, indent=2, ensure_ascii=False))
    return rows


def json_to_csv(source, csv_path, delimiter=","):
    """Write a list of dicts (or a JSON file holding one) as CSV; returns the row count."""
    import csv
    import io
    import json

    rows = json.loads(read_text(source)) if isinstance(source, str) else source
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ValueError("sandbox_utils.json_to_csv: expected a list of objects")
    fields = []
    for r in rows:
        fields.extend(k for k in r if k not in fields)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, delimiter=delimiter, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    write_text(csv_path, buf.getvalue())
    return len(rows)


def xml_to_dict(source):
    """Parse XML (a string starting with '<', or a file path) into nested dicts.

    Attributes become ``@name`` keys, text ``#text``; repeated children become lists."""
    import xml.etree.ElementTree as ET

    text = source if source.lstrip().startswith("<") else read_text(safe_path(source))
    root = ET.fromstring(text)
    return {root.tag: _element(root)}


def _element(el):
    node = {f"@{k}": v for k, v in el.attrib.items()}
    for child in el:
        value = _element(child)
        if child.tag in node:
            if not isinstance(node[child.tag], list):
                node[child.tag] = [node[child.tag]]
            node[child.tag].append(value)
        else:
            node[child.tag] = value
    text = (el.text or "").strip()
    if text:
        if not node:
            return text
        node["#text"] = text
    return node or None
