local function set_of(step) local s = {}; for i = 0, 29999, step do s[i] = true end; return s end
local function size(s) local n = 0; for _ in pairs(s) do n = n + 1 end; return n end
local a, b = set_of(3), set_of(5)
local function popcount(x) local c = 0; while x > 0 do c = c + (x & 1); x = x >> 1 end; return c end
local union, inter, diff, sym, abc = {}, {}, {}, {}, {}
for k in pairs(a) do union[k] = true; if b[k] then inter[k] = true else diff[k] = true; sym[k] = true end end
for k in pairs(b) do union[k] = true; if not a[k] then sym[k] = true end end
for k in pairs(inter) do if popcount(k) == 7 then abc[#abc + 1] = k end end
table.sort(abc)
print(size(union), size(inter), size(diff), size(sym), #abc)
print(table.concat(abc, " ", 1, 8))
