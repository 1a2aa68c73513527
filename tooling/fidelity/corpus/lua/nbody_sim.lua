local bodies = {{0.0, 0.0, 0.0, 0.0, 1000.0}, {100.0, 0.0, 0.0, 3.0, 1.0}, {0.0, 150.0, -2.5, 0.0, 2.0}, {-200.0, 0.0, 0.0, -2.2, 0.5}}
local dt = 0.05
for _ = 1, 3000 do
  for i, a in ipairs(bodies) do
    local ax, ay = 0.0, 0.0
    for j, b in ipairs(bodies) do
      if i ~= j then
        local dx, dy = b[1] - a[1], b[2] - a[2]
        local r = math.sqrt(dx * dx + dy * dy) + 0.01
        local f = b[5] / (r * r * r)
        ax, ay = ax + dx * f, ay + dy * f
      end
    end
    a[3], a[4] = a[3] + ax * dt, a[4] + ay * dt
  end
  for _, a in ipairs(bodies) do a[1], a[2] = a[1] + a[3] * dt, a[2] + a[4] * dt end
end
for _, b in ipairs(bodies) do print(string.format("%.3f %.3f", b[1], b[2])) end
