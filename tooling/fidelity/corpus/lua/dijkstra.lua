local N = 5000
local edges = {}
for i = 0, N - 1 do edges[i] = {} end
local seed = 1
for i = 0, N - 1 do
  for _ = 1, 4 do
    seed = seed * 48271 % 2147483647
    local j, w = seed % N, 1 + seed % 100
    local ei, ej = edges[i], edges[j]
    ei[#ei + 1] = {j, w}
    ej[#ej + 1] = {i, w}
  end
end
local heap = {}
local function push(d, v)
  heap[#heap + 1] = {d, v}
  local i = #heap
  while i > 1 and heap[i // 2][1] > heap[i][1] do heap[i // 2], heap[i] = heap[i], heap[i // 2]; i = i // 2 end
end
local function pop()
  local top = heap[1]
  local last = table.remove(heap)
  if #heap > 0 then
    heap[1] = last
    local i = 1
    while true do
      local l, r, m = 2 * i, 2 * i + 1, i
      if l <= #heap and heap[l][1] < heap[m][1] then m = l end
      if r <= #heap and heap[r][1] < heap[m][1] then m = r end
      if m == i then break end
      heap[m], heap[i] = heap[i], heap[m]
      i = m
    end
  end
  return top[1], top[2]
end
local dist = {}
for i = 0, N - 1 do dist[i] = math.huge end
dist[0] = 0
push(0, 0)
while #heap > 0 do
  local d, u = pop()
  if d <= dist[u] then
    for _, e in ipairs(edges[u]) do
      if d + e[2] < dist[e[1]] then dist[e[1]] = d + e[2]; push(d + e[2], e[1]) end
    end
  end
end
local n, max, sum = 0, 0, 0
for i = 0, N - 1 do if dist[i] < math.huge then n = n + 1; sum = sum + dist[i]; if dist[i] > max then max = dist[i] end end end
print(n, max, sum)
