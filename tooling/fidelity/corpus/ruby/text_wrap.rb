text = ("The quick brown fox jumps over the lazy dog. " * 6 + "Supercalifragilisticexpialidocious words happen. ") * 2
def wrap(t, width)
  lines = []
  cur = ""
  t.split.each do |w|
    if !cur.empty? && cur.size + 1 + w.size > width
      lines << cur
      cur = w
    else
      cur = cur.empty? ? w : "#{cur} #{w}"
    end
  end
  lines << cur unless cur.empty?
  lines
end
wrap(text, 40).each { |l| puts "|#{l.ljust(40)}|" }
w20 = wrap(text, 20)
puts "#{w20.size} #{w20.map(&:size).max}"
