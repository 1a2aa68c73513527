import math
bodies = [[0.0, 0.0, 0.0, 0.0, 1000.0], [100.0, 0.0, 0.0, 3.0, 1.0], [0.0, 150.0, -2.5, 0.0, 2.0], [-200.0, 0.0, 0.0, -2.2, 0.5]]
dt = 0.05
for step in range(3000):
    for i, a in enumerate(bodies):
        ax = ay = 0.0
        for j, b in enumerate(bodies):
            if i != j:
                dx, dy = b[0] - a[0], b[1] - a[1]
                r = math.sqrt(dx * dx + dy * dy) + 0.01
                f = b[4] / (r * r * r)
                ax += dx * f
                ay += dy * f
        a[2] += ax * dt
        a[3] += ay * dt
    for a in bodies:
        a[0] += a[2] * dt
        a[1] += a[3] * dt
for b in bodies:
    print(f"{b[0]:.3f} {b[1]:.3f}")
