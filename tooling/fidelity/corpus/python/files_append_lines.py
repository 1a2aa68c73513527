import os
path = "events.log"
if os.path.exists(path):
    os.remove(path)
for batch in range(20):
    with open(path, "a") as f:
        for i in range(50):
            f.write(f"batch={batch} item={i} value={(batch * 50 + i) ** 2 % 1009}\n")
with open(path) as f:
    lines = f.readlines()
print(len(lines), lines[0].strip(), lines[-1].strip())
print(sum(int(l.rsplit("=", 1)[1]) for l in lines))
with open(path, "rb") as f:
    f.seek(-20, 2)
    print(f.read())
