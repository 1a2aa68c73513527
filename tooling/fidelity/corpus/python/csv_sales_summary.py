import csv, io
seed = 42
def rnd():
    global seed
    seed = seed * 48271 % 2147483647
    return seed / 2147483647
regions = ["north", "south", "east", "west"]
products = ["widget", "gadget", "doohickey", "gizmo", "thingamajig"]
buf = io.StringIO()
w = csv.writer(buf)
w.writerow(["date", "region", "product", "units", "price"])
for i in range(2000):
    w.writerow([f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", regions[int(rnd() * 4)], products[int(rnd() * 5)], 1 + int(rnd() * 20), round(5 + rnd() * 95, 2)])
totals = {}
units = {}
for row in csv.DictReader(io.StringIO(buf.getvalue())):
    key = (row["region"], row["product"])
    totals[key] = totals.get(key, 0) + int(row["units"]) * float(row["price"])
    units[row["region"]] = units.get(row["region"], 0) + int(row["units"])
for (region, product), total in sorted(totals.items()):
    print(f"{region:<6} {product:<12} {total:>12.2f}")
print("units", sorted(units.items()))
