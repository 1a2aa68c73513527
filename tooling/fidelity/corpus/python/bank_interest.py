balance = 1000.0
rate = 0.035
rows = []
for year in range(1, 31):
    interest = balance * rate
    balance += interest + 1200
    if year % 5 == 0:
        rows.append(f"year {year:2d}: {balance:12,.2f} (interest {interest:9,.2f})")
print("\n".join(rows))
months = 0
debt = 25000.0
while debt > 0:
    debt = debt * (1 + 0.18 / 12) - 600
    months += 1
print(months, f"{debt:.2f}")
