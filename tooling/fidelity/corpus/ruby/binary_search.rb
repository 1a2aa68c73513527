xs = (0...100_000).map { |i| (i * 7919) % 1000003 }.uniq.sort
def bsearch(arr, x)
  lo, hi = 0, arr.size - 1
  while lo <= hi
    mid = (lo + hi) / 2
    return mid if arr[mid] == x
    arr[mid] < x ? lo = mid + 1 : hi = mid - 1
  end
  -1
end
found = (0...1000003).step(7).count { |q| bsearch(xs, q) >= 0 }
puts "#{xs.size} #{found} #{xs.bsearch_index { |v| v >= 500000 }} #{bsearch(xs, 7919)}"
