seed = 3
xs = Array.new(10_000) { ((seed = seed * 48271 % 2147483647) / 2147483647.0 * 100).round(3) }
sorted = xs.sort
pct = ->(p) { k = (sorted.size - 1) * p; f = k.floor; c = [f + 1, sorted.size - 1].min; sorted[f] + (sorted[c] - sorted[f]) * (k - f) }
mean = xs.sum / xs.size
sd = Math.sqrt(xs.sum { |x| (x - mean)**2 } / (xs.size - 1))
median = (sorted[4999] + sorted[5000]) / 2
puts format("%.4f %.4f %.4f", mean, sd, median)
puts [0.1, 0.25, 0.5, 0.75, 0.9, 0.99].map { |p| format("%.3f", pct.(p)) }.join(" ")
puts "#{xs.min} #{xs.max} #{xs.minmax.inspect}"
