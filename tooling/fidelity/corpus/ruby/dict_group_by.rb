seed = 17
cities = %w[Oslo Lima Pune Kyiv Doha]
grouped = Hash.new { |h, k| h[k] = Hash.new { |h2, k2| h2[k2] = [] } }
20_000.times do
  seed = seed * 48271 % 2147483647
  grouped[cities[seed % 5]][2018 + seed % 6] << seed % 1000
end
grouped.sort.each { |city, years| puts "#{city} #{years.sort.map { |y, v| "#{y}:#{v.size}/#{v.sum}" }.join(" ")}" }
