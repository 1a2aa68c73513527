path = "events.log"
File.delete(path) if File.exist?(path)
20.times do |batch|
  File.open(path, "a") { |f| 50.times { |i| f.puts "batch=#{batch} item=#{i} value=#{(batch * 50 + i)**2 % 1009}" } }
end
lines = File.readlines(path, chomp: true)
puts "#{lines.size} #{lines[0]} #{lines[-1]}"
puts lines.sum { |l| l.split("=").last.to_i }
File.open(path, "rb") { |f| f.seek(-20, IO::SEEK_END); puts f.read.inspect }
