const transitions = { "idle:start": "running", "running:pause": "paused", "paused:resume": "running", "running:stop": "idle", "paused:stop": "idle" };
const base = ["start", "pause", "resume", "pause", "stop", "resume", "start", "stop", "stop"];
let state = "idle", rejected = 0;
const counts = {};
for (let r = 0; r < 500; r++) for (const e of base) {
  const next = transitions[`${state}:${e}`];
  if (next === undefined) { rejected++; continue; }
  counts[next] = (counts[next] ?? 0) + 1;
  state = next;
}
console.log(state, rejected, JSON.stringify(Object.entries(counts).sort()));
