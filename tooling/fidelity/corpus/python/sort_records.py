seed = 99
def rnd(n):
    global seed
    seed = seed * 48271 % 2147483647
    return seed % n
depts = ["eng", "ops", "sales", "hr", "legal"]
people = [{"id": i, "dept": depts[rnd(5)], "age": 20 + rnd(45), "salary": 30000 + rnd(120000)} for i in range(50000)]
people.sort(key=lambda p: (p["dept"], -p["salary"], p["id"]))
print([(p["dept"], p["salary"], p["id"]) for p in people[:3]])
by_age = sorted(people, key=lambda p: p["age"])
print(by_age[0]["age"], by_age[-1]["age"], by_age[25000]["age"])
