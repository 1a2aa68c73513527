import { describe, expect, it } from "vitest";
import { keptRecords, RECORD_RETENTION_MS, RECORDS_KEPT, RECORDS_MAX } from "./storage.js";

const NOW = 1_800_000_000_000;
const records = (ages: readonly number[]) => ages.map((age, i) => ({ i, at: NOW - age }));

describe("keptRecords", () => {
  it(`keeps every record younger than the retention, even far past the latest ${RECORDS_KEPT}`, () => {
    const young = records(Array.from({ length: 300 }, (_, i) => RECORD_RETENTION_MS - 1000 - i));
    expect(keptRecords(young, NOW)).toHaveLength(300);
  });

  it(`drops records older than the retention, except the latest ${RECORDS_KEPT}`, () => {
    const old = records(Array.from({ length: 100 }, () => RECORD_RETENTION_MS + 1));
    const kept = keptRecords(old, NOW);
    expect(kept.map((r) => r.i)).toEqual(Array.from({ length: RECORDS_KEPT }, (_, k) => 100 - RECORDS_KEPT + k));
  });

  it("an old record between young ones is dropped; the young ones stay in order", () => {
    const ages = [...Array.from({ length: RECORDS_KEPT }, () => 10), RECORD_RETENTION_MS * 2, ...Array.from({ length: RECORDS_KEPT }, () => 5)];
    const kept = keptRecords(records(ages), NOW);
    expect(kept).toHaveLength(2 * RECORDS_KEPT);
    expect(kept.some((r) => r.i === RECORDS_KEPT)).toBe(false);
    expect(kept.map((r) => r.i)).toEqual([...kept.map((r) => r.i)].sort((a, b) => a - b));
  });

  it(`never keeps more than ${RECORDS_MAX}, however young: the latest ones`, () => {
    const kept = keptRecords(records(Array.from({ length: RECORDS_MAX + 10 }, () => 0)), NOW);
    expect(kept).toHaveLength(RECORDS_MAX);
    expect(kept[0]?.i).toBe(10);
  });
});
