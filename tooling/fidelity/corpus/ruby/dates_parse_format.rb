require "time"
["2024-03-15T10:30:00Z", "2023-12-31T23:59:59Z", "2024-02-29T12:00:00Z"].each do |s|
  t = Time.iso8601(s)
  later = t + 36 * 3600 + 15 * 60
  puts "#{t.strftime("%d %b %Y %H:%M")} -> #{later.iso8601} #{t.to_i}"
end
puts Time.at(1700000000).utc.iso8601
puts Time.utc(2024, 6, 15, 12).strftime("%a, %d %b %Y %H:%M:%S GMT %j %U")
