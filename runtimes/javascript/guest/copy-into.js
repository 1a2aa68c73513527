// `crypto.getRandomValues`: copies the host's random bytes (an ArrayBuffer) into the
// caller's typed array, whatever its element type, and returns that array.
(function (ta, ab) {
  new Uint8Array(ta.buffer, ta.byteOffset, ta.byteLength).set(new Uint8Array(ab));
  return ta;
})
