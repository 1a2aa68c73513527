n = 100
a = Array.new(n) { |i| Array.new(n) { |j| (i * j + 1) % 17 } }
b = Array.new(n) { |i| Array.new(n) { |j| (i + 2 * j) % 13 } }
bt = b.transpose
c = a.map { |row| bt.map { |col| row.zip(col).sum { |x, y| x * y } } }
puts "#{c[0][0]} #{c[n - 1][n - 1]} #{c.flatten.sum}"
puts "#{c.transpose[3][5] == c[5][3]} #{c.flatten.max}"
require "matrix"
puts (Matrix[*a] * Matrix[*b]).to_a == c
