import json
schema = {"name": str, "age": int, "email": str, "tags": list}
docs = json.loads('[{"name":"a","age":3,"email":"a@x","tags":[]},{"name":"b","age":"3","email":"b@x","tags":[]},{"name":"c","email":"c@x","tags":["t"]},{"name":"d","age":4,"email":"d@x","tags":"no","extra":1}]')
for d in docs:
    errors = []
    for k, t in schema.items():
        if k not in d:
            errors.append(f"missing {k}")
        elif not isinstance(d[k], t):
            errors.append(f"{k} should be {t.__name__}")
    errors += [f"unknown {k}" for k in d if k not in schema]
    print(d["name"], errors or "ok")
