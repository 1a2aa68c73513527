local N = 2000000
local sieve = {}
for i = 2, N do sieve[i] = true end
local i = 2
while i * i <= N do
  if sieve[i] then for j = i * i, N, i do sieve[j] = false end end
  i = i + 1
end
local count, last, sum1000, twins, prev = 0, 0, 0, 0, nil
for k = 2, N do
  if sieve[k] then
    count = count + 1
    last = k
    if count <= 1000 then sum1000 = sum1000 + k end
    if prev and k - prev == 2 then twins = twins + 1 end
    prev = k
  end
end
print(count, last, sum1000)
print(twins)
