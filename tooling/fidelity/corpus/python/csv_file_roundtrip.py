import csv
rows = [{"id": i, "name": f"user{i}", "score": (i * 37) % 101, "active": i % 3 != 0} for i in range(1, 501)]
with open("users.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["id", "name", "score", "active"])
    w.writeheader()
    w.writerows(rows)
with open("users.csv", newline="") as f:
    back = list(csv.DictReader(f))
active = [r for r in back if r["active"] == "True"]
avg = sum(int(r["score"]) for r in active) / len(active)
print(len(back), len(active), f"{avg:.3f}")
print(max(back, key=lambda r: (int(r["score"]), -int(r["id"])))["name"])
import os
print(os.path.getsize("users.csv"))
