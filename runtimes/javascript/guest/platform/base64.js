// atob/btoa over base-64 (MIT), which follows the HTML spec's forgiving-base64 rules.
import base64 from "base-64";

function InvalidCharacterError(message) {
  const e = new Error(message);
  e.name = "InvalidCharacterError";
  return e;
}

export function atob(data) {
  if (arguments.length === 0) throw new TypeError("The \"data\" argument must be specified");
  try {
    return base64.decode(String(data));
  } catch {
    throw InvalidCharacterError("The string to be decoded is not correctly encoded.");
  }
}

export function btoa(data) {
  if (arguments.length === 0) throw new TypeError("The \"data\" argument must be specified");
  try {
    return base64.encode(String(data));
  } catch {
    throw InvalidCharacterError("Invalid character");
  }
}
