import { z } from "zod";

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

/**
 * Rates fuel use against the budget. Thresholds: below 50% efficient, below 75%
 * moderate, below 90% warning, otherwise critical; `exhausted` when the run ran out.
 */
export function fuelAnalysis(consumed: number, budget: number, outOfFuel = false): FuelAnalysis {
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
  const suggestedBudget = suggest(status, consumed, budget);
  return { consumed, budget, utilizationPercent, status, recommendation: recommend(status, suggestedBudget), suggestedBudget };
}

/** The budget suggested after a run ran out of `budget`: four times as much, rounded up. */
export function exhaustedSuggestion(budget: number): number {
  return roundUp(budget * 4);
}

function suggest(status: FuelStatus, consumed: number, budget: number): number {
  if (status === "exhausted") return exhaustedSuggestion(budget);
  if (status === "warning" || status === "critical") return roundUp(Math.max(consumed * 2, budget * 1.5));
  return budget;
}

function recommend(status: FuelStatus, suggested: number): string {
  const n = suggested.toLocaleString("en-US");
  switch (status) {
    case "efficient":
      return "Fuel use is well within the budget.";
    case "moderate":
      return "Fuel use is moderate; the budget leaves room for heavier inputs.";
    case "warning":
      return `Fuel use is close to the budget; consider fuelBudget ${n} for larger inputs.`;
    case "critical":
      return `Fuel use nearly exhausted the budget; raise fuelBudget to about ${n} or do less work per execution.`;
    case "exhausted":
      return `The run ran out of fuel. If the work is legitimate, retry with fuelBudget ${n}; otherwise look for an infinite loop.`;
  }
}

function roundUp(n: number): number {
  const step = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 1);
  return Math.min(Number.MAX_SAFE_INTEGER, Math.ceil(n / step) * step);
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
