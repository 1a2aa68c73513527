seed = 5
letters = ("a".."z").to_a
words = (0...100_000).map { |i| (3 + i % 6).times.map { letters[(seed = seed * 48271 % 2147483647) % 26] }.join }
words.sort!
puts "#{words.first(3).inspect} #{words[-1]}"
by_len = words.sort_by { |w| [w.size, w] }
puts "#{by_len[0]} #{by_len[-1]} #{words.uniq.size}"
