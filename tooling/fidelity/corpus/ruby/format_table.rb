rows = [["Widget", 4, 3.5], ["Gadget Pro", 12, 129.99], ["Nut", 1000, 0.02], ["Über-Tool", 7, 45.0]]
money = ->(v) { format("%.2f", v).gsub(/\B(?=(\d{3})+(?!\d))/, ",") }
header = format("%-12s|%6s|%9s|%11s", "Product", "Qty", "Price", "Total")
puts header, "-" * header.size
rows.each { |name, qty, price| puts format("%-12s|%6d|%9.2f|%11s", name, qty, price, money.(qty * price)) }
puts format("%-12s|%6d|%9s|%11s", "TOTAL", rows.sum { |r| r[1] }, "", money.(rows.sum { |r| r[1] * r[2] }))
