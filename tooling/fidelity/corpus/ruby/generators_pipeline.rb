numbers = (0...50_000).lazy.map { |i| (i * 7919) % 10007 }
sums = numbers.select(&:even?).map { |x| x * x }.each_slice(1000).map(&:sum).to_a
puts "#{sums.size} #{sums.first(3).inspect} #{sums.sum}"
