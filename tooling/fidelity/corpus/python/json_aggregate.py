import json
seed = 7
def rnd():
    global seed
    seed = seed * 48271 % 2147483647
    return seed / 2147483647
orders = [{"id": i, "customer": f"c{int(rnd() * 50):02d}", "items": [{"sku": f"s{int(rnd() * 20)}", "qty": 1 + int(rnd() * 5), "price": round(rnd() * 100, 2)} for _ in range(1 + int(rnd() * 4))]} for i in range(5000)]
data = json.loads(json.dumps(orders))
totals = {}
for o in data:
    totals[o["customer"]] = totals.get(o["customer"], 0) + sum(it["qty"] * it["price"] for it in o["items"])
top = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
for c, t in top:
    print(c, f"{t:.2f}")
print(len(data), sum(len(o["items"]) for o in data))
