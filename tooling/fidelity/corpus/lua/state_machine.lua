local transitions = {idle = {start = "running"}, running = {pause = "paused", stop = "idle"}, paused = {resume = "running", stop = "idle"}}
local base = {"start", "pause", "resume", "pause", "stop", "resume", "start", "stop", "stop"}
local state, rejected, counts = "idle", 0, {}
for _ = 1, 500 do
  for _, e in ipairs(base) do
    local nxt = transitions[state][e]
    if nxt then counts[nxt] = (counts[nxt] or 0) + 1; state = nxt else rejected = rejected + 1 end
  end
end
print(state, rejected, counts.idle, counts.paused, counts.running)
