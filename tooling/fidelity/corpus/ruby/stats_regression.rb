xs = (0...200).map { |i| i * 0.5 }
ys = xs.each_with_index.map { |x, i| 3.2 * x + 7 + ((i * 37) % 11 - 5) * 0.3 }
n = xs.size
mx, my = xs.sum / n, ys.sum / n
sxy = xs.zip(ys).sum { |x, y| (x - mx) * (y - my) }
sxx = xs.sum { |x| (x - mx)**2 }
syy = ys.sum { |y| (y - my)**2 }
slope = sxy / sxx
intercept = my - slope * mx
puts format("slope=%.5f intercept=%.5f r=%.6f", slope, intercept, sxy / Math.sqrt(sxx * syy))
puts format("rmse=%.5f", Math.sqrt(xs.zip(ys).sum { |x, y| (slope * x + intercept - y)**2 } / n))
