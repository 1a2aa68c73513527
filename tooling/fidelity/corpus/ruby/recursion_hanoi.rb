$moves = []
def hanoi(n, a, b, c)
  return if n.zero?
  hanoi(n - 1, a, c, b)
  $moves << [a, c]
  hanoi(n - 1, b, a, c)
end
hanoi(16, "A", "B", "C")
puts "#{$moves.size} #{$moves.first(3).inspect} #{$moves.last.inspect}"
puts $moves.tally.sort.inspect
