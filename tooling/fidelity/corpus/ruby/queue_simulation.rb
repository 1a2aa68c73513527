$seed = 31
def rnd = ($seed = $seed * 48271 % 2147483647) / 2147483647.0
queue = []
served = 0
waits = []
t = 0.0
busy_until = 0.0
20_000.times do
  t += rnd * 2
  queue << t
  while !queue.empty? && busy_until <= t
    arrived = queue.shift
    start = [arrived, busy_until].max
    waits << start - arrived
    busy_until = start + rnd * 1.9
    served += 1
  end
end
puts format("%d %d %.4f %.4f", served, queue.size, waits.sum / waits.size, waits.max)
