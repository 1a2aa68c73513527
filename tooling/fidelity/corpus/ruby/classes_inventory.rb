class Item
  attr_reader :name, :price, :qty
  def initialize(name, price, qty) = (@name, @price, @qty = name, price, qty)
  def value = price * qty
  def to_s = "#{self.class.name}(#{name.inspect}, #{price}, #{qty})"
end
class Perishable < Item
  def initialize(name, price, qty, days)
    super(name, price, qty)
    @days = days
  end
  def value = super * (@days < 3 ? 0.5 : 1.0)
end
class Inventory
  include Enumerable
  def initialize = @items = []
  def add(item) = (@items << item; self)
  def each(&) = @items.each(&)
  def total = sum(&:value)
end
inv = Inventory.new.add(Item.new("bolt", 0.25, 400)).add(Perishable.new("milk", 1.5, 20, 2)).add(Perishable.new("cheese", 7.0, 5, 10)).add(Item.new("nut", 0.1, 1000))
puts "#{inv.count} #{format("%.2f", inv.total)}"
inv.sort_by { |i| -i.value }.each { |i| puts "#{i} #{format("%.2f", i.value)}" }
