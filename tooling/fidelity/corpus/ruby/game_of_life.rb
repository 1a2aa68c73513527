w = h = 48
seed = 23
cells = {}
h.times { |y| w.times { |x| cells[[x, y]] = true if ((seed = seed * 48271 % 2147483647) % 3).zero? } }
60.times do
  counts = Hash.new(0)
  cells.each_key do |x, y|
    [-1, 0, 1].product([-1, 0, 1]).each { |dx, dy| counts[[(x + dx) % w, (y + dy) % h]] += 1 unless dx.zero? && dy.zero? }
  end
  cells = counts.select { |k, n| n == 3 || (n == 2 && cells[k]) }.transform_values { true }
end
puts "#{cells.size} #{cells.keys.min.inspect} #{cells.keys.max.inspect}"
