data = {"q1": [120, 98, 143], "q2": [150, 110, 160], "q3": [90, 130, 170], "q4": [200, 180, 210]}
teams = ["alpha", "beta", "gamma"]
lines = ["# Quarterly report", "", "| quarter | " + " | ".join(teams) + " | total |", "|---" * (len(teams) + 2) + "|"]
for q, vals in data.items():
    lines.append(f"| {q} | " + " | ".join(str(v) for v in vals) + f" | {sum(vals)} |")
best = max(data, key=lambda q: sum(data[q]))
lines += ["", f"Best quarter: **{best}** ({sum(data[best])})", f"Growth q1→q4: {(sum(data['q4']) / sum(data['q1']) - 1) * 100:.1f}%"]
print("\n".join(lines))
