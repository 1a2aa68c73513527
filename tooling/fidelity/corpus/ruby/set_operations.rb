require "set"
a = (0...30_000).step(3).to_set
b = (0...30_000).step(5).to_set
c = (0...30_000).select { |x| x.digits(2).count(1) == 7 }.to_set
puts "#{(a | b).size} #{(a & b).size} #{(a - b).size} #{(a ^ b).size} #{(a & b & c).size}"
puts (a & b & c).sort.first(8).inspect
puts "#{Set[1, 2, 3] <= Set[1, 2, 3, 4]} #{"hello".chars.to_set == "olleh".chars.to_set}"
