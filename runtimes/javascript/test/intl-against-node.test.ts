/**
 * The sandbox's compact Intl (guest/platform/intl.js) against Node's ICU, value by value:
 * the guest module is plain JavaScript, so it runs here directly and formats the same
 * inputs as the host's Intl. The sandbox path (lazy loading, prototype stubs) is covered by
 * tooling/fidelity's behaviour programs.
 */
import { describe, expect, it } from "vitest";

type Ctor = new (locales?: string, options?: object) => { format(v: unknown): string; compare(a: string, b: string): number; select(n: number): string };
interface GuestIntl {
  Intl: { NumberFormat: Ctor; DateTimeFormat: Ctor; Collator: Ctor; PluralRules: Ctor };
}
const guestPath = "../guest/platform/intl.js";
const { Intl: Guest } = (await import(/* @vite-ignore */ guestPath)) as GuestIntl;
const Host = globalThis.Intl as unknown as GuestIntl["Intl"];

const LOCALES = ["en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "en", "de", "fr", "es"];
const attempt = (f: () => unknown): unknown => {
  try {
    return f();
  } catch (e) {
    return (e as Error).name;
  }
};

describe("the sandbox's Intl formats as Node's ICU does", () => {
  it("NumberFormat: decimal, percent, currency, digits, grouping, signs", () => {
    const numbers = [0, -0, 1, -1, 0.5, 1.005, 2.675, 1234, 12345, 1234567.891, -1234.5, 0.000123, 1e21, 123456789012, 0.1 + 0.2, 999.9999, 5e-7, NaN, Infinity];
    const options = [{}, { maximumFractionDigits: 2 }, { minimumFractionDigits: 2 }, { style: "percent" }, { style: "percent", minimumFractionDigits: 1 }, { style: "currency", currency: "USD" }, { style: "currency", currency: "EUR" }, { style: "currency", currency: "JPY" }, { style: "currency", currency: "GBP" }, { useGrouping: false }, { maximumSignificantDigits: 3 }, { minimumIntegerDigits: 3 }, { signDisplay: "always" }, { signDisplay: "exceptZero" }, { maximumFractionDigits: 0 }];
    const differ: string[] = [];
    for (const l of LOCALES) for (const o of options) for (const n of numbers) {
      const mine = attempt(() => new Guest.NumberFormat(l, o).format(n));
      const icu = attempt(() => new Host.NumberFormat(l, o).format(n));
      if (mine !== icu) differ.push(`${l} ${JSON.stringify(o)} ${n}: ${String(mine)} ≠ ${String(icu)}`);
    }
    expect(differ).toEqual([]);
  });

  it("DateTimeFormat: styles and the common component combinations", () => {
    const dates = [Date.UTC(2024, 0, 5, 14, 3, 9), Date.UTC(1999, 11, 31, 23, 59, 59), Date.UTC(2024, 6, 4, 0, 0, 0), Date.UTC(2024, 8, 15, 12, 30, 0)];
    const options = [{}, { dateStyle: "full" }, { dateStyle: "long" }, { dateStyle: "medium" }, { dateStyle: "short" }, { timeStyle: "short" }, { timeStyle: "medium" }, { dateStyle: "medium", timeStyle: "short" }, { year: "numeric", month: "long", day: "numeric" }, { weekday: "long", year: "numeric", month: "long", day: "numeric" }, { month: "short", day: "numeric" }, { weekday: "short", month: "short", day: "numeric" }, { year: "numeric", month: "2-digit", day: "2-digit" }, { hour: "2-digit", minute: "2-digit" }, { hour: "numeric", minute: "numeric", hour12: false }, { month: "long" }, { weekday: "long" }, { year: "numeric", month: "short" }, { year: "numeric", month: "long", day: "numeric", hour: "numeric", minute: "2-digit" }, { hour: "numeric", minute: "2-digit", hour12: true }];
    const differ: string[] = [];
    for (const l of LOCALES) for (const o of options) for (const t of dates) {
      const mine = attempt(() => new Guest.DateTimeFormat(l, { timeZone: "UTC", ...o }).format(t));
      const icu = attempt(() => new Host.DateTimeFormat(l, { timeZone: "UTC", ...o }).format(t));
      if (mine !== icu) differ.push(`${l} ${JSON.stringify(o)} ${t}: ${String(mine)} ≠ ${String(icu)}`);
    }
    expect(differ).toEqual([]);
  });

  it("Collator sorts accents, case, expansions and numbers as ICU does", () => {
    const words = ["zebra", "Äpfel", "apple", "Apple", "äpfel", "b", "a", "é", "z", "É", "e", "ß", "ss", "st", "item10", "item2", "Item1", "résumé", "resume", "Résumé", "naïve", "naive", "co-op", "coop", "co op", "1abc", "_x", "Zoë", "zoe", "ça", "ca", "Ñandú", "nandu", "ö", "o", "œuvre", "oeuvre"];
    for (const l of ["en-US", "de-DE", "fr-FR"]) for (const o of [{}, { sensitivity: "base" }, { sensitivity: "accent" }, { numeric: true }, { caseFirst: "upper" }]) {
      expect([...words].sort(new Guest.Collator(l, o).compare), `${l} ${JSON.stringify(o)}`).toEqual([...words].sort(new Host.Collator(l, o).compare));
    }
  });

  it("PluralRules: cardinal and ordinal categories", () => {
    for (const l of ["en", "de", "fr", "es"]) for (const type of ["cardinal", "ordinal"]) for (const n of [0, 1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 1.5, 1000000, 2000000, 0.5]) {
      expect(new Guest.PluralRules(l, { type }).select(n), `${l} ${type} ${n}`).toBe(new Host.PluralRules(l, { type }).select(n));
    }
  });
});
