seed = 2024
xs = Array.new(1_000_000) { (seed = seed * 48271 % 2147483647) / 2147483647.0 }
recs = (0...200_000).map { |i| [(xs[i] * 100).floor, i] }
xs.sort!
recs.sort_by! { |v, i| [-v, i] }
puts format("%.9f %.9f %.9f", xs[0], xs[500_000], xs[-1])
puts "#{recs[0].inspect} #{recs[-1].inspect}"
