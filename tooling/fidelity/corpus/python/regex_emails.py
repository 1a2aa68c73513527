import re
text = " ".join(f"contact user{i}@example{i % 7}.com or admin@site{i % 3}.org; bad@x, also First.Last+{i % 5}@mail.co.uk" for i in range(300))
emails = re.findall(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", text)
uniq = sorted(set(emails))
print(len(emails), len(uniq))
print(uniq[:5])
domains = {}
for e in emails:
    d = e.split("@")[1]
    domains[d] = domains.get(d, 0) + 1
print(sorted(domains.items(), key=lambda kv: (-kv[1], kv[0]))[:4])
