import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { meterWat } from "./test-support.js";

/**
 * Random structured programs whose value and fuel cost are known by construction:
 * conditions are constants, so the generator knows which path runs and charges it by
 * the meter's documented rule (one unit per operator; block, loop, end, else, drop
 * free). The meter must agree exactly, on every program.
 */
type Expr =
  | { k: "const"; n: number }
  | { k: "add"; a: Expr; b: Expr }
  | { k: "if"; c: Expr; t: Expr; e: Expr }
  | { k: "brif"; x: Expr; c: Expr; z: Expr }
  /** A forward br_if to a label without values (the meter refunds the skipped code when taken). */
  | { k: "skip"; c: Expr; z: Expr; x: Expr }
  /** An if without else, then code after it (charged ahead by the charge before the if). */
  | { k: "when"; c: Expr; t: Expr; x: Expr }
  /** A block whose if-arm may branch out of the if to the block's end (no charging ahead for that if). */
  | { k: "guard"; c: Expr; t: Expr; d: Expr; z: Expr; x: Expr }
  | { k: "loop"; times: number; body: Expr }
  | { k: "call"; f: number };

const HELPERS = [3, 11, 29]; // helper i returns HELPERS[i] at a cost of 1 (i32.const)

const expr: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ k: fc.constant("const" as const), n: fc.integer({ min: -5, max: 5 }) }),
    fc.record({ k: fc.constant("call" as const), f: fc.integer({ min: 0, max: HELPERS.length - 1 }) }),
    fc.record({ k: fc.constant("add" as const), a: tie("e"), b: tie("e") }),
    fc.record({ k: fc.constant("if" as const), c: tie("e"), t: tie("e"), e: tie("e") }),
    fc.record({ k: fc.constant("brif" as const), x: tie("e"), c: tie("e"), z: tie("e") }),
    fc.record({ k: fc.constant("skip" as const), c: tie("e"), z: tie("e"), x: tie("e") }),
    fc.record({ k: fc.constant("when" as const), c: tie("e"), t: tie("e"), x: tie("e") }),
    fc.record({ k: fc.constant("guard" as const), c: tie("e"), t: tie("e"), d: tie("e"), z: tie("e"), x: tie("e") }),
    fc.record({ k: fc.constant("loop" as const), times: fc.integer({ min: 1, max: 4 }), body: tie("e") }),
  ),
})).e;

interface Compiled {
  code: string;
  value: number;
  cost: number;
}

function compile(e: Expr, locals: string[]): Compiled {
  switch (e.k) {
    case "const":
      return { code: `i32.const ${e.n}`, value: e.n, cost: 1 };
    case "call":
      return { code: `call $h${e.f}`, value: HELPERS[e.f]!, cost: 2 };
    case "add": {
      const a = compile(e.a, locals);
      const b = compile(e.b, locals);
      return { code: `${a.code}\n${b.code}\ni32.add`, value: (a.value + b.value) | 0, cost: a.cost + b.cost + 1 };
    }
    case "if": {
      const c = compile(e.c, locals);
      const t = compile(e.t, locals);
      const f = compile(e.e, locals);
      const taken = c.value !== 0 ? t : f;
      return {
        code: `${c.code}\nif (result i32)\n${t.code}\nelse\n${f.code}\nend`,
        value: taken.value,
        cost: c.cost + 1 + taken.cost,
      };
    }
    case "brif": {
      const x = compile(e.x, locals);
      const c = compile(e.c, locals);
      const z = compile(e.z, locals);
      const head = x.cost + c.cost + 1;
      return {
        code: `block (result i32)\n${x.code}\n${c.code}\nbr_if 0\ndrop\n${z.code}\nend`,
        value: c.value !== 0 ? x.value : z.value,
        cost: c.value !== 0 ? head : head + z.cost,
      };
    }
    case "skip": {
      // block  c  br_if 0  z drop  end  x — z runs only when c is 0; drop and end are free.
      const c = compile(e.c, locals);
      const z = compile(e.z, locals);
      const x = compile(e.x, locals);
      return {
        code: `block\n${c.code}\nbr_if 0\n${z.code}\ndrop\nend\n${x.code}`,
        value: x.value,
        cost: c.cost + 1 + (c.value !== 0 ? 0 : z.cost) + x.cost,
      };
    }
    case "when": {
      // c  if  t drop  end  x — t runs only when c is nonzero.
      const c = compile(e.c, locals);
      const t = compile(e.t, locals);
      const x = compile(e.x, locals);
      return {
        code: `${c.code}\nif\n${t.code}\ndrop\nend\n${x.code}`,
        value: x.value,
        cost: c.cost + 1 + (c.value !== 0 ? t.cost : 0) + x.cost,
      };
    }
    case "guard": {
      // block  c  if  t drop  d br_if 1  end  z drop  end  x — when c and d are nonzero
      // the branch leaves the if for the block's end, skipping z.
      const c = compile(e.c, locals);
      const t = compile(e.t, locals);
      const d = compile(e.d, locals);
      const z = compile(e.z, locals);
      const x = compile(e.x, locals);
      const out = c.value !== 0 && d.value !== 0;
      return {
        code: `block\n${c.code}\nif\n${t.code}\ndrop\n${d.code}\nbr_if 1\nend\n${z.code}\ndrop\nend\n${x.code}`,
        value: x.value,
        cost: c.cost + 1 + (c.value !== 0 ? t.cost + d.cost + 1 : 0) + (out ? 0 : z.cost) + x.cost,
      };
    }
    case "loop": {
      const b = compile(e.body, locals);
      const name = `$c${locals.length}`;
      locals.push(name);
      const code = [
        `i32.const ${e.times}`,
        `local.set ${name}`,
        `loop`,
        b.code,
        `drop`,
        `local.get ${name} i32.const 1 i32.sub local.tee ${name}`,
        `br_if 0`,
        `end`,
        b.code,
      ].join("\n");
      return { code, value: b.value, cost: 2 + e.times * (b.cost + 5) + b.cost };
    }
  }
}

describe("fuel matches the documented rule on random programs", () => {
  it("value and fuel agree with the generator's own accounting", async () => {
    await fc.assert(
      fc.asyncProperty(expr, async (e) => {
        const locals: string[] = [];
        const c = compile(e, locals);
        const helpers = HELPERS.map((v, i) => `(func $h${i} (result i32) i32.const ${v})`).join("\n");
        const decls = locals.map((l) => `(local ${l} i32)`).join(" ");
        const m = await meterWat(`(module ${helpers}\n(func (export "main") (result i32) ${decls}\n${c.code}))`);
        expect(m.call("main", [], 10_000_000n)).toEqual({ value: c.value, used: BigInt(c.cost) });
      }),
      { numRuns: 200 },
    );
  });
});
