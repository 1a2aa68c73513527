/**
 * State persistence for Ruby: the `$state` Hash of one execution is written to a file under
 * the workspace's internal directory and read back into `$state` by the next execution of
 * the same session.
 *
 * Each entry is serialized on its own with `Marshal`, so symbols, Sets, Structs, Times and
 * the like survive, and one value that cannot be dumped (a Proc, an IO, an object with
 * singleton methods) or loaded (an instance of a class the next run has not defined yet)
 * costs only that entry, reported as a note instead of losing the whole state. Marshal
 * data is only ever loaded inside the guest that wrote it, so loading it trusts nothing
 * outside the sandbox.
 */
import { INTERNAL_DIR } from "@llm-wasm-sandbox/core";
import { SKIPPED_MARKER, extractStateNotes as extractNotes } from "./python.js";

/** Workspace-relative path of the Ruby state file (hidden from listings by the umbrella). */
export const STATE_FILE = `${INTERNAL_DIR}/ruby_state.marshal`;

/** Guest path of the Ruby state file. */
export const STATE_GUEST_PATH = `/app/${STATE_FILE}`;

/** Name of the global variable that is persisted. */
export const STATE_GLOBAL = "$state";

export { SKIPPED_MARKER };

/**
 * Ruby source defining `LLMSandboxState.load(path)` (sets `$state` to a Hash, empty when
 * there is no saved state) and `LLMSandboxState.save(path)`. The file holds a Marshal'd
 * Hash of key => Marshal'd value; a `$state` that is not a Hash is stored as nothing and
 * reported.
 */
export const STATE_HELPERS_RB = String.raw`
module LLMSandboxState
  SKIPPED = ${JSON.stringify(SKIPPED_MARKER)}

  def self.load(path)
    $state = {}
    return unless File.exist?(path)
    entries = Marshal.load(File.binread(path))
    skipped = []
    entries.each do |key, blob|
      $state[key] = Marshal.load(blob)
    rescue Exception => e
      skipped << "#{key.inspect} (#{e.message[0, 80]})"
    end
    note(skipped)
  rescue Exception => e
    $stderr.write("[llm-sandbox] saved state could not be read and was ignored: #{e.message}\n")
  end

  def self.save(path)
    state = $state
    unless state.is_a?(Hash)
      note(["$state (a #{state.class}, not a Hash)"]) unless state.nil?
      state = {}
    end
    entries = {}
    skipped = []
    state.each do |key, value|
      entries[key] = Marshal.dump(value)
    rescue Exception
      skipped << "#{key.inspect} (#{value.class})"
    end
    missing = []
    dir = File.dirname(path)
    until Dir.exist?(dir)
      missing.unshift(dir)
      dir = File.dirname(dir)
    end
    missing.each { |d| Dir.mkdir(d) }
    File.binwrite(path, Marshal.dump(entries))
    note(skipped)
  rescue Exception => e
    $stderr.write("[llm-sandbox] $state could not be saved: #{e.message}\n")
  end

  def self.note(names)
    return if names.empty?
    require "json"
    $stderr.write(SKIPPED + " " + JSON.generate(names) + "\n")
  end
end
`;

/**
 * Removes the save/load steps' skipped-entries line from stderr and describes it as a
 * note (same marker and format as the Python helpers).
 */
export function extractStateNotes(stderr: string): { readonly stderr: string; readonly notes: string[] } {
  return extractNotes(stderr);
}
