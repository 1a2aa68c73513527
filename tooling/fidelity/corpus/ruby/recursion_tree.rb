Node = Struct.new(:label, :children)
def build(depth, label) = Node.new(label, depth.zero? ? [] : (0..2).map { |k| build(depth - 1, label * 3 + k) })
tree = build(8, 1)
def count(n) = 1 + n.children.sum { |c| count(c) }
def total(n) = n.label + n.children.sum { |c| total(c) }
def height(n) = 1 + (n.children.map { |c| height(c) }.max || 0)
def deep(n) = n.zero? ? 0 : 1 + deep(n - 1)
puts "#{count(tree)} #{total(tree) % 1000003} #{height(tree)} #{deep(900)}"
