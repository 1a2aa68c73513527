require "json"
$seed = 7
def rnd = ($seed = $seed * 48271 % 2147483647) / 2147483647.0
orders = (0...5000).map do |i|
  c = format("c%02d", (rnd * 50).floor)
  { "id" => i, "customer" => c, "items" => (1 + (rnd * 4).floor).times.map { { "sku" => "s#{(rnd * 20).floor}", "qty" => 1 + (rnd * 5).floor, "price" => (rnd * 100).round(2) } } }
end
data = JSON.parse(JSON.generate(orders))
totals = Hash.new(0)
data.each { |o| totals[o["customer"]] += o["items"].sum { |it| it["qty"] * it["price"] } }
totals.sort_by { |c, t| [-t, c] }.first(5).each { |c, t| puts "#{c} #{format("%.2f", t)}" }
puts "#{data.size} #{data.sum { |o| o["items"].size }}"
