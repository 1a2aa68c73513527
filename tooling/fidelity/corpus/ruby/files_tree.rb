require "fileutils"
%w[proj/src/util proj/tests proj/docs].each { |d| FileUtils.mkdir_p(d) }
{ "proj/README.md" => "# proj\n", "proj/src/main.rb" => "puts 'x'\n" * 10, "proj/src/util/helpers.rb" => "def f; end\n" * 3, "proj/tests/test_main.rb" => "assert true\n", "proj/docs/guide.txt" => "guide " * 50 }.each { |p, c| File.write(p, c) }
total = 0
Dir.glob("proj/**/*").sort.each do |p|
  next unless File.file?(p)
  total += File.size(p)
  puts "#{p} #{File.size(p)}"
end
puts "total #{total} #{Dir.children("proj").sort.inspect}"
