data = { "q1" => [120, 98, 143], "q2" => [150, 110, 160], "q3" => [90, 130, 170], "q4" => [200, 180, 210] }
teams = %w[alpha beta gamma]
lines = ["# Quarterly report", "", "| quarter | #{teams.join(" | ")} | total |", "|---" * (teams.size + 2) + "|"]
data.each { |q, vals| lines << "| #{q} | #{vals.join(" | ")} | #{vals.sum} |" }
best = data.max_by { |_, v| v.sum }[0]
lines += ["", "Best quarter: **#{best}** (#{data[best].sum})", format("Growth q1→q4: %.1f%%", (data["q4"].sum.fdiv(data["q1"].sum) - 1) * 100)]
puts lines.join("\n")
