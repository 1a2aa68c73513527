def counter
  n = 0
  ->(step = 1) { n += step }
end
c1, c2 = counter, counter
puts [c1.(), c1.(), c2.(10), c1.(5)].inspect
pipeline = [->(x) { x + 1 }, ->(x) { x * 2 }, :to_s.to_proc, ->(s) { s + "!" }].reduce(:>>)
puts pipeline.(4)
nums = (1..20).to_a
puts "#{nums.reduce(:*) % 1000007} #{nums.select { |x| (x % 3).zero? }.map { |x| x**2 }.inspect}"
puts (0...5).map { |i| ->(x) { x + i } }.map { |f| f.(10) }.inspect
add = ->(a, b, c) { a + b + c }.curry
puts add[1][2][3], method(:puts).arity
