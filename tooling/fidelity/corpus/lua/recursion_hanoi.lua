local moves = {}
local function hanoi(n, a, b, c)
  if n == 0 then return end
  hanoi(n - 1, a, c, b)
  moves[#moves + 1] = a .. c
  hanoi(n - 1, b, a, c)
end
hanoi(16, "A", "B", "C")
print(#moves, moves[1], moves[2], moves[3], moves[#moves])
local counts, keys = {}, {}
for _, m in ipairs(moves) do if not counts[m] then keys[#keys + 1] = m end; counts[m] = (counts[m] or 0) + 1 end
table.sort(keys)
for _, k in ipairs(keys) do io.write(k, "=", counts[k], " ") end
print()
