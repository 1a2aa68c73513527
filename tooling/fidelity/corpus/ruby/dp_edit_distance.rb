def lev(a, b)
  prev = (0..b.size).to_a
  a.each_char.with_index(1) do |ca, i|
    cur = [i]
    b.each_char.with_index(1) { |cb, j| cur << [prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca == cb ? 0 : 1)].min }
    prev = cur
  end
  prev[-1]
end
puts [%w[kitten sitting], %w[flaw lawn], %w[intention execution], ["", "abc"], %w[same same]].map { |a, b| lev(a, b) }.inspect
puts %w[apple apply ape maple people applet happen pale].sort_by { |w| [lev(w, "appel"), w] }.first(4).inspect
