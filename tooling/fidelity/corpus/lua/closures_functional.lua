local function counter() local n = 0; return function(step) n = n + (step or 1); return n end end
local c1, c2 = counter(), counter()
print(c1(), c1(), c2(10), c1(5))
local function compose(...)
  local fs = {...}
  return function(x) for _, f in ipairs(fs) do x = f(x) end; return x end
end
print(compose(function(x) return x + 1 end, function(x) return x * 2 end, tostring, function(s) return s .. "!" end)(4))
local function map(t, f) local o = {}; for i, v in ipairs(t) do o[i] = f(v) end; return o end
local function filter(t, p) local o = {}; for _, v in ipairs(t) do if p(v) then o[#o + 1] = v end end; return o end
local function reduce(t, f, acc) for _, v in ipairs(t) do acc = f(acc, v) end; return acc end
local nums = {}
for i = 1, 20 do nums[i] = i end
print(reduce(nums, function(a, b) return a * b % 1000007 end, 1), table.concat(map(filter(nums, function(x) return x % 3 == 0 end), function(x) return x * x end), " "))
local adders = {}
for i = 0, 4 do adders[#adders + 1] = function(x) return x + i end end
print(table.concat(map(adders, function(f) return f(10) end), " "))
