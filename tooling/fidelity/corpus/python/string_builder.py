parts = []
for i in range(100000):
    parts.append(f"{i:05d}:{'x' if i % 3 else 'y'}")
s = ",".join(parts)
print(len(s), s[:30], s[-20:])
print(s.count("y"), s.find("50000"), s.upper()[:12])
print(len(s.replace(",", ";\n").splitlines()))
