seed = 17
cities = ["Oslo", "Lima", "Pune", "Kyiv", "Doha"]
records = []
for i in range(20000):
    seed = seed * 48271 % 2147483647
    records.append({"city": cities[seed % 5], "year": 2018 + seed % 6, "amount": seed % 1000})
grouped = {}
for r in records:
    grouped.setdefault(r["city"], {}).setdefault(r["year"], []).append(r["amount"])
for city in sorted(grouped):
    years = grouped[city]
    print(city, " ".join(f"{y}:{len(v)}/{sum(v)}" for y, v in sorted(years.items())))
