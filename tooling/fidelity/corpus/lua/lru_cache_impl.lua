local LRU = {}
LRU.__index = LRU
function LRU.new(cap) return setmetatable({cap = cap, map = {}, tick = 0, size = 0, hits = 0, misses = 0}, LRU) end
function LRU:get(k)
  local e = self.map[k]
  if not e then self.misses = self.misses + 1; return nil end
  self.tick = self.tick + 1
  e.t = self.tick
  self.hits = self.hits + 1
  return e.v
end
function LRU:put(k, v)
  self.tick = self.tick + 1
  if not self.map[k] then self.size = self.size + 1 end
  self.map[k] = {v = v, t = self.tick}
  if self.size > self.cap then
    local oldest, ok = math.huge, nil
    for key, e in pairs(self.map) do if e.t < oldest then oldest, ok = e.t, key end end
    self.map[ok] = nil
    self.size = self.size - 1
  end
end
local cache = LRU.new(100)
local seed = 13
for _ = 1, 50000 do
  seed = seed * 48271 % 2147483647
  local k = seed % 4 ~= 0 and seed % 300 or seed % 50
  if cache:get(k) == nil then cache:put(k, k * k) end
end
print(cache.hits, cache.misses, cache.size)
