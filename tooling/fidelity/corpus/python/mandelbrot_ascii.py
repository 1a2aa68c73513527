chars = " .:-=+*#%@"
rows = []
for y in range(24):
    row = ""
    for x in range(64):
        c = complex(-2.2 + x * 3.0 / 64, -1.2 + y * 2.4 / 24)
        z, n = 0j, 0
        while abs(z) <= 2 and n < 60:
            z = z * z + c
            n += 1
        row += chars[n * (len(chars) - 1) // 60]
    rows.append(row)
print("\n".join(rows))
