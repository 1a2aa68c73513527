from datetime import datetime, timezone, timedelta
stamps = ["2024-03-15T10:30:00Z", "2023-12-31T23:59:59Z", "2024-02-29T12:00:00Z"]
for s in stamps:
    dt = datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    later = dt + timedelta(hours=36, minutes=15)
    print(dt.strftime("%d %b %Y %H:%M"), "->", later.isoformat(), int(dt.timestamp()))
print(datetime.fromtimestamp(1700000000, tz=timezone.utc).isoformat())
