import re
levels = ["INFO", "WARN", "ERROR", "DEBUG"]
lines = [f"2024-05-{1 + i % 30:02d} {i % 24:02d}:{i % 60:02d}:{(i * 7) % 60:02d} [{levels[(i * i) % 4]}] service-{i % 5}: request {i} took {(i * 13) % 997}ms" for i in range(5000)]
pat = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{2}):\d{2}:\d{2} \[(\w+)\] ([\w-]+): request (\d+) took (\d+)ms$")
by_level, by_hour, slow = {}, {}, 0
for line in lines:
    m = pat.match(line)
    if not m:
        continue
    by_level[m.group(3)] = by_level.get(m.group(3), 0) + 1
    by_hour[m.group(2)] = by_hour.get(m.group(2), 0) + 1
    if int(m.group(6)) > 900:
        slow += 1
print(sorted(by_level.items()))
print(sorted(by_hour.items())[:6])
print("slow", slow)
