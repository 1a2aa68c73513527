require "csv"
rows = (1..500).map { |i| [i, "user#{i}", (i * 37) % 101, i % 3 != 0] }
CSV.open("users.csv", "w") do |csv|
  csv << %w[id name score active]
  rows.each { |r| csv << r }
end
back = CSV.read("users.csv", headers: true)
active = back.select { |r| r["active"] == "true" }
avg = active.sum { |r| r["score"].to_i } / active.size.to_f
puts back.size, active.size, format("%.3f", avg)
puts back.max_by { |r| [r["score"].to_i, -r["id"].to_i] }["name"]
puts File.size("users.csv")
