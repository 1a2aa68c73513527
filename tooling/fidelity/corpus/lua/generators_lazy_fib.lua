local function fib()
  local a, b = 0, 1
  return function() local r = a; a, b = b, a + b; return r end
end
local small, evens, esum = {}, 0, 0
for x in fib() do
  if x >= 10^15 then break end
  small[#small + 1] = x
  if x % 2 == 0 then evens = evens + 1; esum = esum + x end
end
print(#small, small[#small])
print(evens, esum)
local co = coroutine.create(function(a) local b = coroutine.yield(a * 2); local c = coroutine.yield(a + b); return c * 10 end)
print(coroutine.resume(co, 5))
print(coroutine.resume(co, 7))
print(coroutine.resume(co, 3))
print(coroutine.resume(co), coroutine.status(co))
