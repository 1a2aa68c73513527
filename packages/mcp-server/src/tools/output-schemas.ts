import { z } from "zod";

const stream = z
  .object({
    chars: z.number().int().describe("Characters of the stream the run kept."),
    omitted_chars: z.number().int().describe("Characters left out of the text returned (0 when it is all there)."),
    cut_at_output_cap: z.boolean().describe("True when the program printed more than the run's output cap and the rest was dropped."),
    full_output_path: z.string().nullable().describe("When part was left out: where the whole kept stream is saved in the session (e.g. /app/.outputs/3-a1b2.stdout.txt)."),
  })
  .describe("About one output stream; its text is in the result's content, once.");

/** structuredContent of execute_code: everything but the output text itself. */
export const ExecuteOutputSchema = {
  success: z.boolean().describe("True when the program exited 0 without a language error or a limit being hit."),
  exit_code: z.number().int().describe("The program's exit status."),
  trapped: z.boolean().describe("True when the sandbox stopped the program (a limit, a trap or a cancellation)."),
  trap_reason: z
    .enum(["out_of_fuel", "memory_limit", "timeout", "stack_overflow", "unreachable", "trap", "cancelled", "host_error"])
    .nullable()
    .describe("Why it was stopped; null when it was not."),
  session_id: z.string().describe("The session the run used; pass it to continue with the same /app files."),
  language: z.string().describe("The runtime that ran the code."),
  duration_ms: z.number().int().describe("Wall-clock time of the run, milliseconds."),
  fuel_consumed: z.number().describe("Fuel used: WebAssembly instructions executed."),
  memory_used_bytes: z.number().describe("Peak memory of the program, bytes."),
  stdout: stream,
  stderr: stream,
  files_created: z.array(z.string()).describe("Files the run created, relative to /app."),
  files_modified: z.array(z.string()).describe("Files the run changed, relative to /app."),
  files_deleted: z.array(z.string()).describe("Files the run deleted, relative to /app."),
  fuel_analysis: z
    .object({
      status: z.enum(["efficient", "moderate", "warning", "critical", "exhausted"]),
      utilization_percent: z.number(),
      budget: z.number().describe("The run's fuel budget."),
      suggested_budget: z.number().describe("A budget that would fit this workload with headroom."),
    })
    .describe("How much of the fuel budget the run used."),
  error: z
    .object({ type: z.string().describe("OutOfFuel, Timeout, MissingPackage, or the language's error name."), message: z.string().nullable() })
    .nullable()
    .describe("What went wrong, when the run failed; what to do about it is in the text."),
  notes: z.array(z.string()).describe("Things to know that are not errors (e.g. variables that could not be kept)."),
  warm: z.boolean().describe("True when the run continued the session's live interpreter (create_session keep_alive): earlier runs' variables and objects were still there."),
};

/** structuredContent of list_runtimes. */
export const RuntimesOutputSchema = {
  runtimes: z.array(
    z.object({
      language: z.string().describe("The value for execute_code's language."),
      display_name: z.string(),
      package: z.string(),
      version: z.string(),
      file_extension: z.string(),
      defaults: z.object({
        fuel_budget: z.number().describe("Fuel (instructions) per run."),
        memory_bytes: z.number().describe("Memory cap per run, bytes."),
        timeout_ms: z.number().describe("Default wall-clock limit per run, milliseconds."),
        max_timeout_seconds: z.number().describe("Largest `timeout` execute_code accepts, seconds."),
        stdout_max_bytes: z.number().describe("Stdout a run may print before the rest is dropped, bytes."),
        stderr_max_bytes: z.number().describe("Stderr a run may print before the rest is dropped, bytes."),
      }),
    }),
  ),
  not_installed: z
    .array(
      z.object({
        language: z.string(),
        package: z.string().describe("The npm package that provides it."),
        install: z.string().describe("How the server's operator adds it."),
      }),
    )
    .describe("Built-in languages this server could offer once their package is installed next to it."),
};
