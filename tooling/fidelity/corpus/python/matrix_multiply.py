n = 100
a = [[(i * j + 1) % 17 for j in range(n)] for i in range(n)]
b = [[(i + 2 * j) % 13 for j in range(n)] for i in range(n)]
c = [[sum(a[i][k] * b[k][j] for k in range(n)) for j in range(n)] for i in range(n)]
print(c[0][0], c[n - 1][n - 1], sum(map(sum, c)))
t = [list(r) for r in zip(*c)]
print(t[3][5] == c[5][3], max(max(r) for r in c))
