transitions = {("idle", "start"): "running", ("running", "pause"): "paused", ("paused", "resume"): "running", ("running", "stop"): "idle", ("paused", "stop"): "idle"}
events = ["start", "pause", "resume", "pause", "stop", "resume", "start", "stop", "stop"] * 500
state, counts, rejected = "idle", {}, 0
for e in events:
    nxt = transitions.get((state, e))
    if nxt is None:
        rejected += 1
        continue
    counts[nxt] = counts.get(nxt, 0) + 1
    state = nxt
print(state, rejected, sorted(counts.items()))
