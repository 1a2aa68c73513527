import json
doc = {"name": "report", "version": 3, "tags": ["a", "b", "ü"], "nested": {"x": 1.5, "y": None, "z": [True, False]}, "count": 10**12}
s = json.dumps(doc, sort_keys=True)
print(s)
back = json.loads(s)
print(back == doc, back["nested"]["z"], back["tags"][2])
print(json.dumps(back, indent=2, sort_keys=True, ensure_ascii=False))
