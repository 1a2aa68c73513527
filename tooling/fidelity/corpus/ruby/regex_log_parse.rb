levels = %w[INFO WARN ERROR DEBUG]
lines = (0...5000).map { |i| format("2024-05-%02d %02d:%02d:%02d [%s] service-%d: request %d took %dms", 1 + i % 30, i % 24, i % 60, (i * 7) % 60, levels[(i * i) % 4], i % 5, i, (i * 13) % 997) }
pat = /\A(\d{4}-\d{2}-\d{2}) (\d{2}):\d{2}:\d{2} \[(\w+)\] ([\w-]+): request (\d+) took (\d+)ms\z/
by_level = Hash.new(0)
by_hour = Hash.new(0)
slow = 0
lines.each do |line|
  m = pat.match(line) or next
  by_level[m[3]] += 1
  by_hour[m[2]] += 1
  slow += 1 if m[6].to_i > 900
end
puts by_level.sort.inspect
puts by_hour.sort.first(6).inspect
puts "slow #{slow}"
