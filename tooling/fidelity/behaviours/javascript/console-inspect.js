// console.log of arrays: more than six short items are grouped in aligned columns, as Node does.
console.log([22, 21, 21, 22, 23, 20, 22, 22, 21, 23, 20, 21]);
console.log([1, 4, 9, 16, 25, 36, 49, 64]);
console.log([1, 2, 3, 4, 5, 6]);
console.log(["apple", "banana", "cherry", "date", "elderberry", "fig", "grape"]);
console.log(Array.from({ length: 120 }, (_, i) => i * 3));
console.log({ a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], b: "x" });
console.log([[1, 2, 3, 4, 5, 6, 7], [8, 9, 10, 11, 12, 13, 14]]);
console.log(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
console.log([1.5, 22.25, 333.125, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27]);
console.log(["a", 1, "b", 2, "c", 3, "d", 4]);
console.log([true, false, true, false, true, false, true, null, undefined]);
console.log(Array.from({ length: 30 }, (_, i) => "item" + i));
const a = [1, 2, 3, 4, 5, 6, 7, 8]; a.extra = "yes"; console.log(a);
console.log([1, , 3, 4, 5, 6, 7, 8]);
console.log([10n, 20n, 30n, 40n, 50n, 60n, 70n]);
console.log([{ a: 1 }, { b: 2 }, { c: 3 }, { d: 4 }, { e: 5 }, { f: 6 }, { g: 7 }]);
