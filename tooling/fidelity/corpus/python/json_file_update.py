import json
config = {"service": "api", "replicas": 2, "env": {"DEBUG": "0"}, "ports": [80, 443]}
with open("config.json", "w") as f:
    json.dump(config, f, indent=2)
for step in range(5):
    with open("config.json") as f:
        c = json.load(f)
    c["replicas"] += step
    c["env"][f"STEP_{step}"] = str(step * step)
    c["ports"].append(8000 + step)
    with open("config.json", "w") as f:
        json.dump(c, f, indent=2)
with open("config.json") as f:
    final = json.load(f)
print(final["replicas"], len(final["env"]), final["ports"])
print(json.dumps(final["env"], sort_keys=True))
