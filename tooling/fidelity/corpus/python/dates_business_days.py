from datetime import date, timedelta
holidays = {date(2024, 1, 1), date(2024, 7, 4), date(2024, 12, 25), date(2024, 11, 28)}
d = date(2024, 1, 1)
count = 0
per_month = {}
while d.year == 2024:
    if d.weekday() < 5 and d not in holidays:
        count += 1
        per_month[d.month] = per_month.get(d.month, 0) + 1
    d += timedelta(days=1)
print(count)
print([per_month[m] for m in range(1, 13)])
