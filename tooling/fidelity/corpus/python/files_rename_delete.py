import os, shutil
os.makedirs("work/in", exist_ok=True)
for i in range(10):
    with open(f"work/in/file{i}.txt", "w") as f:
        f.write(str(i) * (i + 1))
os.makedirs("work/out", exist_ok=True)
for name in sorted(os.listdir("work/in")):
    n = int(name[4:-4])
    if n % 2 == 0:
        os.rename(f"work/in/{name}", f"work/out/even_{n}.txt")
    elif n % 3 == 0:
        os.remove(f"work/in/{name}")
print(sorted(os.listdir("work/in")))
print(sorted(os.listdir("work/out")))
shutil.copy("work/out/even_4.txt", "work/copy.txt")
print(open("work/copy.txt").read(), os.path.exists("work/in/file3.txt"))
shutil.rmtree("work/in")
print(os.path.isdir("work/in"), os.path.isdir("work/out"))
