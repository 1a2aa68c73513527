// structuredClone, atob/btoa, URL/URLSearchParams: the sandbox must print what Node prints.
const orig = { a: [1, { b: new Date(0) }], m: new Map([[1, new Set(["x"])]]), r: /ab+c/gi, t: new Uint8Array([1, 2, 3]), big: 12n };
orig.self = orig;
const c = structuredClone(orig);
console.log(c !== orig, c.self === c, c.a[1].b instanceof Date, c.a[1].b.getTime(), c.m.get(1).has("x"), c.r.source, c.r.flags, c.t[2], c.big);
try { structuredClone(() => 1); } catch (e) { console.log(e.name); }
try { structuredClone({ f: Symbol("s") }); } catch (e) { console.log(e.name); }
console.log(btoa("hello world"), atob("aGVsbG8gd29ybGQ="), atob(" aGk= "), btoa(String.fromCharCode(255, 0, 128)));
try { btoa("€"); } catch (e) { console.log(e.name); }
try { atob("a"); } catch (e) { console.log(e.name); }
const u = new URL("https://user:pw@example.com:8080/a/b/../c?x=1&y=two%20words#frag");
console.log(u.href, u.host, u.hostname, u.port, u.pathname, u.search, u.hash, u.origin, u.username);
console.log(u.searchParams.get("y"), [...u.searchParams.keys()].join(","));
u.searchParams.append("z", "a&b=c");
console.log(u.search, String(new URL("../d?q", "https://h.io/x/y/z")));
const p = new URLSearchParams({ q: "x y", n: "5" });
p.sort();
console.log(p.toString(), new URLSearchParams("a=1&a=2&b=%C3%A9").getAll("a").join("|"), new URLSearchParams("b=%C3%A9").get("b"));
console.log(new URL("https://bücher.example/ü").href);
try { new URL("not a url"); } catch (e) { console.log(e.name); }
console.log(typeof URL, typeof structuredClone, typeof atob, URL.name, "canParse" in URL);
