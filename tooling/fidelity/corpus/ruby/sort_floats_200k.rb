seed = 12345
xs = Array.new(200_000) { (seed = seed * 48271 % 2147483647) / 2147483647.0 * 1000 }
xs.sort!
puts format("%.6f %.6f %.6f", xs[0], xs[xs.size / 2], xs[-1])
puts xs.each_cons(2).count { |a, b| b < a }
