# Runs inside the sandbox: exercises every sandbox_utils helper. Prints ALL-CHECKS-PASSED last.
import json
import sandbox_utils as su


def raises(exc, fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except exc as e:
        return str(e)
    raise AssertionError(f"{fn.__name__}{args} did not raise {exc.__name__}")


# files
su.mkdir("work/sub")
assert su.echo("alpha", "work/a.txt") == "alpha\n"
su.echo("beta", "work/a.txt", append=True)
assert su.cat("work/a.txt") == "alpha\nbeta\n"
su.touch("work/sub/empty.txt")
assert su.ls("work") == ["a.txt", "sub"], su.ls("work")
assert su.ls("work", long=True)[0] == {"name": "a.txt", "size": 11, "is_dir": False}
assert su.cp("work/a.txt", "work/sub") == "/app/work/sub/a.txt"
assert su.cp("work/sub", "copy", recursive=True) == "/app/copy"
assert su.find("*.txt", "copy") == ["/app/copy/a.txt", "/app/copy/empty.txt"]
assert su.find("sub", type="d") == ["/app/work/sub"]
assert su.mv("copy", "moved") == "/app/moved"
assert su.ls("moved") == ["a.txt", "empty.txt"]
tree = su.tree("work")
assert tree.splitlines() == ["/app/work", "├── a.txt", "└── sub/", "    ├── a.txt", "    └── empty.txt"], tree
assert [r for r, _, _ in su.walk("work")] == ["/app/work", "/app/work/sub"]
su.copy_tree("work", "work2")
su.remove_tree("work2")
su.rm("moved", recursive=True)
assert raises(IsADirectoryError, su.rm, "work")
assert "moved" not in su.ls() and "work2" not in su.ls()
assert ".llm-sandbox" not in su.ls()

# text
assert su.grep("^b", "work") == [("/app/work/a.txt", 2, "beta"), ("/app/work/sub/a.txt", 2, "beta")]
assert su.grep("ALPHA", "work/a.txt", ignore_case=True) == [("/app/work/a.txt", 1, "alpha")]
assert su.grep("a.", "work/a.txt", fixed=True) == []
assert su.sed("beta", "gamma", "work/a.txt") == "alpha\ngamma\n"
assert su.head("work/a.txt", 1) == "alpha\n" and su.tail("work/a.txt", 1) == "gamma\n"
assert su.wc("work/a.txt") == {"lines": 2, "words": 2, "chars": 12, "bytes": 12}
d = su.diff("work/a.txt", "work/sub/a.txt")
assert "-gamma" in d and "+beta" in d, d
assert su.diff("work/a.txt", "work/a.txt") == ""

# data
people = su.csv_to_json("input/people.csv", "people.json")
assert people[0] == {"name": "Ada", "team": "core", "age": "36"}
assert json.load(open("/app/people.json")) == people
assert list(su.group_by(people, "team")) == ["core", "web"]
assert [p["name"] for p in su.filter_by(people, team="core")] == ["Ada", "Bo"]
assert [p["name"] for p in su.filter_by(people, lambda p: int(p["age"]) > 30)] == ["Ada", "Bo"]
assert [p["name"] for p in su.sort_by(people, lambda p: int(p["age"]), reverse=True)] == ["Bo", "Ada", "Lin"]
assert su.unique([3, 1, 3, 2, 1]) == [3, 1, 2]
assert su.unique([{"a": 1}, {"a": 1}, {"a": 2}]) == [{"a": 1}, {"a": 2}]
assert su.chunk(range(5), 2) == [[0, 1], [2, 3], [4]]
assert raises(ValueError, su.chunk, [1], 0)
assert su.json_to_csv("people.json", "back.csv") == 3
assert su.cat("back.csv").splitlines()[0] == "name,team,age"
x = su.xml_to_dict('<root a="1"><item>x</item><item>y</item><n k="v">t</n></root>')
assert x == {"root": {"@a": "1", "item": ["x", "y"], "n": {"@k": "v", "#text": "t"}}}, x

# path checks: '..', absolute paths elsewhere, the root itself
for bad in ["../etc/passwd", "/app/../etc/passwd", "work/../../x", "/etc/passwd", "/data/sandbox-lib/x"]:
    msg = raises(ValueError, su.cat, bad)
    assert "sandbox_utils" in msg, msg
assert "'..' is not allowed" in raises(ValueError, su.ls, "..")
assert raises(ValueError, su.remove_tree, "/app")
assert raises(ValueError, su.copy_tree, "work", "work/sub/inner")
assert raises(ValueError, su.mkdir, "/tmp/x")
assert raises(ValueError, su.echo, "x", "../out.txt")

print("ALL-CHECKS-PASSED")
