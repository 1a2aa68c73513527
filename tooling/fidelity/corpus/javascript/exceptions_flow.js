class ValidationError extends Error {
  constructor(field, msg, options) { super(`${field}: ${msg}`, options); this.name = "ValidationError"; this.field = field; }
}
function parse(rec) {
  if (!("age" in rec)) throw new ValidationError("age", "missing");
  const age = Number(rec.age);
  if (Number.isNaN(age)) throw new ValidationError("age", "not a number", { cause: new TypeError(`bad ${rec.age}`) });
  if (age < 0) throw new ValidationError("age", "negative");
  return age;
}
const log = [];
for (const rec of [{ age: "31" }, {}, { age: "x" }, { age: "-4" }, { age: "7" }]) {
  try { log.push(["ok", parse(rec)]); }
  catch (e) { log.push(["err", e.message, e.cause ? e.cause.name : null]); }
  finally { log.push("done"); }
}
console.log(JSON.stringify(log));
try { null.x; } catch (e) { console.log(e.constructor.name, e instanceof TypeError); }
try { JSON.parse("{bad"); } catch (e) { console.log(e.name); }
