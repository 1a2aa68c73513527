from datetime import date, timedelta
start = date(2024, 1, 31)
for months in range(6):
    y = start.year + (start.month - 1 + months) // 12
    m = (start.month - 1 + months) % 12 + 1
    import calendar
    d = min(start.day, calendar.monthrange(y, m)[1])
    print(date(y, m, d).isoformat(), date(y, m, d).strftime("%A"))
print((start + timedelta(days=100)).isoformat())
print((date(2025, 3, 1) - date(2024, 3, 1)).days)
print(date(2024, 12, 30).isocalendar()[:2])
