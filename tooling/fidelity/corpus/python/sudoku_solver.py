grid = [list(map(int, row)) for row in "530070000 600195000 098000060 800060003 400803001 700020006 060000280 000419005 000080079".split()]
def ok(r, c, v):
    if v in grid[r] or any(grid[i][c] == v for i in range(9)):
        return False
    br, bc = r // 3 * 3, c // 3 * 3
    return all(grid[br + i][bc + j] != v for i in range(3) for j in range(3))
def solve():
    for r in range(9):
        for c in range(9):
            if grid[r][c] == 0:
                for v in range(1, 10):
                    if ok(r, c, v):
                        grid[r][c] = v
                        if solve():
                            return True
                        grid[r][c] = 0
                return False
    return True
print(solve())
for row in grid:
    print("".join(map(str, row)))
