import os
for d in ["proj/src/util", "proj/tests", "proj/docs"]:
    os.makedirs(d, exist_ok=True)
files = {"proj/README.md": "# proj\n", "proj/src/main.py": "print('x')\n" * 10, "proj/src/util/helpers.py": "def f(): pass\n" * 3, "proj/tests/test_main.py": "assert True\n", "proj/docs/guide.txt": "guide " * 50}
for p, c in files.items():
    with open(p, "w") as f:
        f.write(c)
total = 0
for root, dirs, fs in os.walk("proj"):
    dirs.sort()
    for name in sorted(fs):
        p = os.path.join(root, name)
        size = os.path.getsize(p)
        total += size
        print(p, size)
print("total", total, sorted(os.listdir("proj")))
