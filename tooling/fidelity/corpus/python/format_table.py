rows = [("Widget", 4, 3.5), ("Gadget Pro", 12, 129.99), ("Nut", 1000, 0.02), ("Über-Tool", 7, 45.0)]
header = f"{'Product':<12}|{'Qty':>6}|{'Price':>9}|{'Total':>11}"
print(header)
print("-" * len(header))
for name, qty, price in rows:
    print(f"{name:<12}|{qty:>6}|{price:>9.2f}|{qty * price:>11,.2f}")
print(f"{'TOTAL':<12}|{sum(r[1] for r in rows):>6}|{'':>9}|{sum(r[1] * r[2] for r in rows):>11,.2f}")
