local function gen(f) return coroutine.wrap(f) end
local function read_numbers(n) return gen(function() for i = 0, n - 1 do coroutine.yield((i * 7919) % 10007) end end) end
local function filter(it, p) return gen(function() for x in it do if p(x) then coroutine.yield(x) end end end) end
local function map(it, f) return gen(function() for x in it do coroutine.yield(f(x)) end end) end
local function chunks(it, size)
  return gen(function()
    local buf = {}
    for x in it do buf[#buf + 1] = x; if #buf == size then coroutine.yield(buf); buf = {} end end
    if #buf > 0 then coroutine.yield(buf) end
  end)
end
local sums, total = {}, 0
for c in chunks(map(filter(read_numbers(50000), function(x) return x % 2 == 0 end), function(x) return x * x end), 1000) do
  local s = 0
  for _, v in ipairs(c) do s = s + v end
  sums[#sums + 1] = s
  total = total + s
end
print(#sums, sums[1], sums[2], sums[3], total)
