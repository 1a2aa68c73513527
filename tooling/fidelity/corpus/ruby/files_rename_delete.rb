require "fileutils"
FileUtils.mkdir_p("work/in")
10.times { |i| File.write("work/in/file#{i}.txt", i.to_s * (i + 1)) }
FileUtils.mkdir_p("work/out")
Dir.children("work/in").sort.each do |name|
  n = name[4...-4].to_i
  if n.even? then File.rename("work/in/#{name}", "work/out/even_#{n}.txt")
  elsif (n % 3).zero? then File.delete("work/in/#{name}")
  end
end
puts Dir.children("work/in").sort.inspect
puts Dir.children("work/out").sort.inspect
FileUtils.cp("work/out/even_4.txt", "work/copy.txt")
puts "#{File.read("work/copy.txt")} #{File.exist?("work/in/file3.txt")}"
FileUtils.rm_rf("work/in")
puts "#{Dir.exist?("work/in")} #{Dir.exist?("work/out")}"
