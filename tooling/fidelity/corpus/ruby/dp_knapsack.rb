seed = 4
items = Array.new(100) { w = 1 + (seed = seed * 48271 % 2147483647) % 50; [w, 1 + (seed = seed * 48271 % 2147483647) % 100] }
cap = 1000
best = Array.new(cap + 1, 0)
items.each { |w, v| cap.downto(w) { |c| best[c] = best[c - w] + v if best[c - w] + v > best[c] } }
puts "#{best[cap]} #{best[cap / 2]} #{best[100]}"
