bodies = [[0.0, 0.0, 0.0, 0.0, 1000.0], [100.0, 0.0, 0.0, 3.0, 1.0], [0.0, 150.0, -2.5, 0.0, 2.0], [-200.0, 0.0, 0.0, -2.2, 0.5]]
dt = 0.05
3000.times do
  bodies.each_with_index do |a, i|
    ax = ay = 0.0
    bodies.each_with_index do |b, j|
      next if i == j
      dx, dy = b[0] - a[0], b[1] - a[1]
      r = Math.sqrt(dx * dx + dy * dy) + 0.01
      f = b[4] / (r * r * r)
      ax += dx * f
      ay += dy * f
    end
    a[2] += ax * dt
    a[3] += ay * dt
  end
  bodies.each { |a| a[0] += a[2] * dt; a[1] += a[3] * dt }
end
bodies.each { |b| puts format("%.3f %.3f", b[0], b[1]) }
