seed = 21
p = 100.0
prices = Array.new(2000) { p *= 1 + ((seed = seed * 48271 % 2147483647) / 2147483647.0 - 0.5) * 0.02 }
def sma(xs, n)
  s = 0.0
  xs.each_with_index.filter_map do |x, i|
    s += x
    s -= xs[i - n] if i >= n
    s / n if i >= n - 1
  end
end
s20, s50 = sma(prices, 20), sma(prices, 50)
cross = (1...s50.size).count { |i| (s20[i + 30] - s50[i]) * (s20[i + 29] - s50[i - 1]) < 0 }
puts format("%.4f %.4f %.4f %.4f %.4f %d", prices[-1], prices.max, prices.min, s20[-1], s50[-1], cross)
