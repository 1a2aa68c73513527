words = "the quick brown fox jumps over the lazy dog and the cat sat on the mat while a bird sang".split
seed = 8
doc = Array.new(50_000) { words[(seed = seed * 48271 % 2147483647) % words.size] }.join(" ")
freq = doc.split.tally
freq.sort_by { |w, c| [-c, w] }.first(10).each { |w, c| puts format("%-6s %d", w, c) }
puts "#{doc.size} #{freq.size}"
