n = 5000
edges = Array.new(n) { [] }
seed = 1
n.times do |i|
  4.times do
    seed = seed * 48271 % 2147483647
    j, w = seed % n, 1 + seed % 100
    edges[i] << [j, w]
    edges[j] << [i, w]
  end
end
heap = [[0, 0]]
push = lambda do |item|
  heap << item
  i = heap.size - 1
  while i > 0 && (heap[(i - 1) / 2] <=> heap[i]) > 0
    heap[(i - 1) / 2], heap[i] = heap[i], heap[(i - 1) / 2]
    i = (i - 1) / 2
  end
end
pop = lambda do
  top = heap[0]
  last = heap.pop
  unless heap.empty?
    heap[0] = last
    i = 0
    loop do
      l, r, m = 2 * i + 1, 2 * i + 2, i
      m = l if l < heap.size && (heap[l] <=> heap[m]) < 0
      m = r if r < heap.size && (heap[r] <=> heap[m]) < 0
      break if m == i
      heap[m], heap[i] = heap[i], heap[m]
      i = m
    end
  end
  top
end
dist = Array.new(n, Float::INFINITY)
dist[0] = 0
until heap.empty?
  d, u = pop.()
  next if d > dist[u]
  edges[u].each { |v, w| if d + w < dist[v] then dist[v] = d + w; push.([d + w, v]) end }
end
reach = dist.reject(&:infinite?)
puts "#{reach.size} #{reach.max} #{reach.sum}"
