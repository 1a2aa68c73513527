import { z } from "zod";
import { formatCount } from "../format-count.js";

/** Validates a {@link FuelStatus}. */
export const FuelStatusSchema = z.enum(["efficient", "moderate", "warning", "critical", "exhausted"]);
/**
 * How close a run came to its fuel budget: `efficient` (< 50 %), `moderate` (< 75 %),
 * `warning` (< 90 %), `critical` (≥ 90 %), `exhausted` (the run ran out of fuel).
 */
export type FuelStatus = z.output<typeof FuelStatusSchema>;

/** How much of its fuel budget a run used, and a budget that would fit the workload. */
export interface FuelAnalysis {
  /** Fuel units the run consumed (WebAssembly instructions, as in `fuelConsumed`). */
  consumed: number;
  /** The run's fuel budget (`policy.fuelBudget`), in fuel units. */
  budget: number;
  /** `consumed / budget` in percent, two decimals (e.g. 12.5). */
  utilizationPercent: number;
  /** The band `utilizationPercent` falls in. */
  status: FuelStatus;
  /** One sentence on what the fuel use means for this workload. */
  recommendation: string;
  /** A budget in fuel units with headroom for this workload; equals `budget` when it already fits. */
  suggestedBudget: number;
}

/** Validates a {@link FuelAnalysis}. */
export const FuelAnalysisSchema: z.ZodType<FuelAnalysis> = z.object({
  consumed: z.number().nonnegative(),
  budget: z.number().positive(),
  utilizationPercent: z.number().nonnegative(),
  status: FuelStatusSchema,
  recommendation: z.string(),
  suggestedBudget: z.number().positive(),
});

/** How long the run took against its wall-clock limit, to keep a suggested budget runnable. */
export interface FuelPace {
  /** The run's duration in milliseconds (`durationMs`). */
  readonly durationMs: number;
  /** The run's wall-clock limit (`policy.timeoutMs`). */
  readonly timeoutMs: number;
}

/** A run that ran out of fuel is retried with this many times its budget (a geometric search: at most a few retries reach any need). */
export const EXHAUSTED_BUDGET_FACTOR = 4;

/**
 * Rates fuel use against the budget. Thresholds: below 50% efficient, below 75%
 * moderate, below 90% warning, otherwise critical; `exhausted` when the run ran out.
 * With `pace`, the recommendation also names the `timeoutMs` the suggested budget needs
 * at this run's speed when the current limit would stop it first.
 */
export function fuelAnalysis(consumed: number, budget: number, outOfFuel = false, pace?: FuelPace): FuelAnalysis {
  const utilizationPercent = round2((consumed / budget) * 100);
  const status: FuelStatus = outOfFuel
    ? "exhausted"
    : utilizationPercent < 50
      ? "efficient"
      : utilizationPercent < 75
        ? "moderate"
        : utilizationPercent < 90
          ? "warning"
          : "critical";
  const suggestedBudget = suggestFuelBudget(status, consumed, budget);
  const timeout = pace ? timeoutFor(suggestedBudget, consumed, pace) : null;
  return { consumed, budget, utilizationPercent, status, recommendation: recommend(status, suggestedBudget, timeout), suggestedBudget };
}

/** The budget suggested after a run ran out of `budget`: {@link EXHAUSTED_BUDGET_FACTOR} times as much, rounded up. */
export function exhaustedSuggestion(budget: number): number {
  return roundUp(budget * EXHAUSTED_BUDGET_FACTOR);
}

/**
 * The budget {@link fuelAnalysis} suggests: after running out, {@link exhaustedSuggestion};
 * when tight, twice the use (at least 1.5 times the budget); else the budget.
 */
export function suggestFuelBudget(status: FuelStatus, consumed: number, budget: number): number {
  if (status === "exhausted") return exhaustedSuggestion(budget);
  if (status === "warning" || status === "critical") return roundUp(Math.max(consumed * 2, budget * 1.5));
  return budget;
}

/** The timeout the suggested budget needs at this run's pace (with 50 % headroom), or null when the current one suffices. */
function timeoutFor(suggested: number, consumed: number, pace: FuelPace): number | null {
  if (consumed <= 0 || pace.durationMs <= 0) return null;
  const needed = (suggested / consumed) * pace.durationMs * 1.5;
  return needed > pace.timeoutMs ? roundUp(needed) : null;
}

function recommend(status: FuelStatus, suggested: number, timeoutMs: number | null): string {
  const n = formatCount(suggested);
  const t = timeoutMs === null ? "" : ` with timeoutMs ${formatCount(timeoutMs)} (at this run's pace the current wall-clock limit would stop it first)`;
  switch (status) {
    case "efficient":
      return "Fuel use is well within the budget.";
    case "moderate":
      return "Fuel use is moderate; the budget leaves room for heavier inputs.";
    case "warning":
      return `Fuel use is close to the budget; consider fuelBudget ${n}${t} for larger inputs.`;
    case "critical":
      return `Fuel use nearly exhausted the budget; raise fuelBudget to about ${n}${t} or do less work per execution.`;
    case "exhausted":
      return `The run ran out of fuel. If the work is legitimate, retry with fuelBudget ${n}${t}; otherwise look for an infinite loop.`;
  }
}

function roundUp(n: number): number {
  const step = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 1);
  return Math.min(Number.MAX_SAFE_INTEGER, Math.ceil(n / step) * step);
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
