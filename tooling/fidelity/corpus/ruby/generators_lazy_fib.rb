fib = Enumerator.new { |y| a, b = 0, 1; loop { y << a; a, b = b, a + b } }
small = fib.take_while { |x| x < 10**15 }
puts "#{small.size} #{small[-1]}"
evens = small.select(&:even?)
puts "#{evens.size} #{evens.sum}"
gen = (1..).lazy.map { |i| i * i }
puts gen.first(8).inspect
e = [1, 2, 3].each
puts "#{e.next} #{e.next} #{e.next} #{(begin; e.next; rescue StopIteration; "stop"; end)}"
