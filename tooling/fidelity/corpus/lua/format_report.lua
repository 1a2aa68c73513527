local quarters = {"q1", "q2", "q3", "q4"}
local data = {q1 = {120, 98, 143}, q2 = {150, 110, 160}, q3 = {90, 130, 170}, q4 = {200, 180, 210}}
local teams = {"alpha", "beta", "gamma"}
local function sum(xs) local s = 0; for _, x in ipairs(xs) do s = s + x end; return s end
local lines = {"# Quarterly report", "", "| quarter | " .. table.concat(teams, " | ") .. " | total |", string.rep("|---", #teams + 2) .. "|"}
local best
for _, q in ipairs(quarters) do
  lines[#lines + 1] = string.format("| %s | %s | %d |", q, table.concat(data[q], " | "), sum(data[q]))
  if not best or sum(data[q]) > sum(data[best]) then best = q end
end
lines[#lines + 1] = ""
lines[#lines + 1] = string.format("Best quarter: **%s** (%d)", best, sum(data[best]))
lines[#lines + 1] = string.format("Growth q1→q4: %.1f%%", (sum(data.q4) / sum(data.q1) - 1) * 100)
print(table.concat(lines, "\n"))
