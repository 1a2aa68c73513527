require "csv"
$seed = 42
def rnd = ($seed = $seed * 48271 % 2147483647) / 2147483647.0
regions = %w[north south east west]
products = %w[widget gadget doohickey gizmo thingamajig]
text = CSV.generate do |csv|
  csv << %w[date region product units price]
  2000.times do |i|
    csv << [format("2024-%02d-%02d", 1 + i % 12, 1 + i % 28), regions[(rnd * 4).floor], products[(rnd * 5).floor], 1 + (rnd * 20).floor, (5 + rnd * 95).round(2)]
  end
end
totals = Hash.new(0)
units = Hash.new(0)
CSV.parse(text, headers: true).each do |row|
  totals[[row["region"], row["product"]]] += row["units"].to_i * row["price"].to_f
  units[row["region"]] += row["units"].to_i
end
totals.sort.each { |(region, product), total| puts format("%-6s %-12s %12.2f", region, product, total) }
puts "units #{units.sort.map { |k, v| "#{k}=#{v}" }.join(",")}"
