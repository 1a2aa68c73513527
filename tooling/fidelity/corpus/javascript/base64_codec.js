const ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
function b64(bytes) {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += ALPHA[(n >> 18) & 63] + ALPHA[(n >> 12) & 63] + (i + 1 < bytes.length ? ALPHA[(n >> 6) & 63] : "=") + (i + 2 < bytes.length ? ALPHA[n & 63] : "=");
  }
  return out;
}
function unb64(s) {
  const out = [];
  for (let i = 0; i < s.length; i += 4) {
    const n = [0, 1, 2, 3].reduce((acc, k) => (acc << 6) | (s[i + k] === "=" ? 0 : ALPHA.indexOf(s[i + k])), 0);
    out.push((n >> 16) & 255);
    if (s[i + 2] !== "=") out.push((n >> 8) & 255);
    if (s[i + 3] !== "=") out.push(n & 255);
  }
  return new Uint8Array(out);
}
const enc = new TextEncoder();
const samples = ["", "f", "fo", "foo", "foobar", "héllo wörld"].map((s) => enc.encode(s));
samples.push(Uint8Array.from({ length: 256 }, (_, i) => i));
for (const s of samples) { const e = b64(s); if (unb64(e).join() !== s.join()) throw new Error("mismatch"); console.log(s.length, e.slice(0, 40)); }
const big = Uint8Array.from({ length: 30000 }, (_, i) => (i * i) % 251);
const e = b64(big);
console.log(e.length, e.slice(-16), unb64(e).every((v, i) => v === big[i]));
