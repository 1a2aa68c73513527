function fnv1a(bytes) {
  let h = 0x811c9dc5;
  for (const b of bytes) { h ^= b; h = Math.imul(h, 0x01000193) >>> 0; }
  return h >>> 0;
}
const data = new Uint8Array(200000);
for (let i = 0; i < data.length; i++) data[i] = (i * 31 + 7) % 256;
const enc = new TextEncoder();
console.log("0x" + fnv1a(data).toString(16), "0x" + fnv1a(enc.encode("hello")).toString(16), "0x" + fnv1a(new Uint8Array(0)).toString(16));
let crc = 0xffffffff;
for (const b of data) { crc ^= b; for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1; }
console.log(((crc ^ 0xffffffff) >>> 0).toString(16));
