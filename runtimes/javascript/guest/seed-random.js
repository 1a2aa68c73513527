// A seeded `Math.random` (mulberry32): the same sequence for the same seed, for runs whose
// policy is deterministic. The script's value is a function taking the 32-bit seed.
(function (s) {
  Math.random = function random() {
    s = (s + 0x6d2b79f5) >>> 0;
    var t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
})
