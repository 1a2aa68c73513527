cache = { 1 => 1 }
best = best_n = 0
(1...300_000).each do |n|
  path = []
  m = n
  until cache.key?(m)
    path << m
    m = m.even? ? m / 2 : 3 * m + 1
  end
  l = cache[m]
  path.reverse_each { |p| cache[p] = (l += 1) }
  best, best_n = l, n if l > best
end
puts "#{best_n} #{best}"
