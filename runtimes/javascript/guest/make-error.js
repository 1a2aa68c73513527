// How a host function throws a built-in error class into the guest (`TypeError`,
// `RangeError`, ...): the script's value is a function of the class name and the message.
(function (name, message) {
  return new globalThis[name](message);
})
