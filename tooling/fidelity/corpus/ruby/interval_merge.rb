seed = 10
intervals = Array.new(20_000) { a = (seed = seed * 48271 % 2147483647) % 1_000_000; [a, a + (seed = seed * 48271 % 2147483647) % 100] }
merged = intervals.sort.each_with_object([]) do |(s, e), acc|
  if !acc.empty? && s <= acc[-1][1] then acc[-1][1] = [acc[-1][1], e].max
  else acc << [s, e]
  end
end
puts "#{merged.size} #{merged[0].inspect} #{merged[-1].inspect} #{merged.sum { |s, e| e - s }}"
