require "date"
start = Date.new(2024, 1, 31)
6.times { |m| d = start >> m; puts "#{d.iso8601} #{d.strftime("%A")}" }
puts (start + 100).iso8601
puts (Date.new(2025, 3, 1) - Date.new(2024, 3, 1)).to_i
d = Date.new(2024, 12, 30)
puts "#{d.cwyear} #{d.cweek}"
