// The RegExp `v` (unicodeSets) flag. QuickJS-NG as shipped gets these wrong (see the
// runtime README); the test pins each answer so an engine upgrade that fixes them fails
// the test and the README table gets updated.
const cases = [
  ['/[\\p{L}\\d]/v.test("é")', () => /[\p{L}\d]/v.test("é")],
  ['/[\\p{L}\\d]/u.test("é")', () => /[\p{L}\d]/u.test("é")],
  ['/\\p{L}/v.test("é")', () => /\p{L}/v.test("é")],
  ['/[\\p{Lu}]/v.test("É")', () => /[\p{Lu}]/v.test("É")],
  ['/[\\p{Script=Greek}]/v.test("α")', () => /[\p{Script=Greek}]/v.test("α")],
  ['/[\\d\\p{L}]/v.test("5")', () => /[\d\p{L}]/v.test("5")],
  ['/[a-z]/v.test("q")', () => /[a-z]/v.test("q")],
  ['/\\p{Emoji}/v.test("😀")', () => /\p{Emoji}/v.test("😀")],
  ['/\\p{RGI_Emoji}/v.test("😀")', () => /\p{RGI_Emoji}/v.test("😀")],
  ['/^\\p{RGI_Emoji}$/v.test("👍🏽")', () => /^\p{RGI_Emoji}$/v.test("👍🏽")],
  ['/^[\\q{abc}]$/v.test("abc")', () => new RegExp("^[\\q{abc}]$", "v").test("abc")],
  ['/[\\w&&\\d]/v.test("5")', () => new RegExp("[\\w&&\\d]", "v").test("5")],
  ['/[\\w&&\\d]/v.test("a")', () => new RegExp("[\\w&&\\d]", "v").test("a")],
  ['/[\\p{L}--[a-z]]/v.test("A")', () => new RegExp("[\\p{L}--[a-z]]", "v").test("A")],
  ['/[\\p{Emoji}--\\p{ASCII}]/v.test("😀")', () => new RegExp("[\\p{Emoji}--\\p{ASCII}]", "v").test("😀")],
  ['/[[a-z]--[aeiou]]/v.test("b")', () => new RegExp("[[a-z]--[aeiou]]", "v").test("b")],
  ['"aé1".match(/[\\p{L}\\d]/gv)', () => JSON.stringify("aé1".match(/[\p{L}\d]/gv))],
];
for (const [label, f] of cases) {
  let out;
  try {
    out = String(f());
  } catch (e) {
    out = `${e.name}: ${e.message}`;
  }
  console.log(`${label} => ${out}`);
}
