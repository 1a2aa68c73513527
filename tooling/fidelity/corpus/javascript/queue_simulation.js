let seed = 31;
const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
const queue = [];
let head = 0, served = 0, t = 0, busyUntil = 0, waitSum = 0, waitMax = 0;
for (let i = 0; i < 20000; i++) {
  t += rnd() * 2;
  queue.push(t);
  while (head < queue.length && busyUntil <= t) {
    const arrived = queue[head++];
    const start = Math.max(arrived, busyUntil);
    waitSum += start - arrived;
    waitMax = Math.max(waitMax, start - arrived);
    busyUntil = start + rnd() * 1.9;
    served++;
  }
}
console.log(served, queue.length - head, (waitSum / served).toFixed(4), waitMax.toFixed(4));
