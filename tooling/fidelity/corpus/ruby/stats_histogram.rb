seed = 11
bins = Array.new(12, 0)
5000.times do
  s = 6.times.sum { (seed = seed * 48271 % 2147483647) / 2147483647.0 }
  bins[[11, (s * 2).floor].min] += 1
end
bins.each_with_index { |c, i| puts format("%4.1f-%4.1f %5d %s", i / 2.0, (i + 1) / 2.0, c, "#" * (c / 40)) }
