def perms(xs)
  return [xs] if xs.size <= 1
  xs.each_with_index.flat_map { |x, i| perms(xs[0...i] + xs[i + 1..]).map { |p| [x] + p } }
end
ps = perms("abcdefg".chars)
puts "#{ps.size} #{ps[0].join} #{ps[-1].join} #{ps[1000].join}"
puts ps == "abcdefg".chars.permutation.to_a
def subsets(xs)
  return [[]] if xs.empty?
  rest = subsets(xs[1..])
  rest + rest.map { |r| [xs[0]] + r }
end
ss = subsets((0...12).to_a)
puts "#{ss.size} #{ss.count { |s| s.sum == 20 }}"
