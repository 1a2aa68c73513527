# State persistence for Ruby (`autoPersistGlobals`): the `$state` Hash of one execution is
# written to a file under the workspace's internal directory and read back into `$state`
# by the next execution of the same session.
#
# Each entry is serialized on its own with `Marshal`, so symbols, Sets, Structs, Times and
# the like survive, and one value that cannot be dumped (a Proc, an IO, an object with
# singleton methods) or loaded (an instance of a class the next run has not defined yet)
# costs only that entry, reported in a `state` fact. The file is guest-written: loading
# never fails the run: an unreadable file starts it fresh, and one whose loading crashed
# the VM (left renamed while loading) is discarded by the next run.

module LLMSandboxState
  # A state file whose load crashed the VM (a trap cannot be rescued) is left renamed to
  # this while loading, so the next run discards it instead of crashing again.
  LOADING = ".loading"

  def self.load(path)
    $state = {}
    if File.exist?(path + LOADING)
      File.delete(path + LOADING) rescue nil
      fresh("the saved $state crashed the run that loaded it and was discarded")
    end
    return unless File.exist?(path)
    File.rename(path, path + LOADING)
    entries = Marshal.load(File.binread(path + LOADING))
    raise TypeError, "not a Hash" unless entries.is_a?(Hash)
    skipped = []
    entries.each do |key, blob|
      $state[key] = Marshal.load(blob)
    rescue Exception => e
      skipped << { name: key.inspect, reason: e.message[0, 200] }
    end
    File.rename(path + LOADING, path)
    LLMSandboxRuntime.fact(kind: "state", status: "fresh", reason: "some saved entries could not be loaded", skipped: skipped) unless skipped.empty?
  rescue Exception => e
    $state = {}
    File.delete(path + LOADING) rescue nil
    fresh("the saved $state could not be read: #{e.message[0, 200]}")
  end

  def self.fresh(reason)
    LLMSandboxRuntime.fact(kind: "state", status: "fresh", reason: reason)
  end

  def self.save(path)
    state = $state
    skipped = []
    unless state.is_a?(Hash)
      skipped << { name: "$state", reason: "a #{state.class}, not a Hash" } unless state.nil?
      state = {}
    end
    entries = {}
    state.each do |key, value|
      entries[key] = Marshal.dump(value)
    rescue Exception => e
      skipped << { name: key.inspect, reason: "#{value.class}: #{e.message[0, 120]}" }
    end
    missing = []
    dir = File.dirname(path)
    until Dir.exist?(dir)
      missing.unshift(dir)
      dir = File.dirname(dir)
    end
    missing.each { |d| Dir.mkdir(d) }
    File.binwrite(path, Marshal.dump(entries))
    LLMSandboxRuntime.fact(kind: "state", status: "saved", skipped: skipped)
  rescue Exception => e
    LLMSandboxRuntime.fact(kind: "state", status: "unsaved", reason: e.message[0, 500], skipped: skipped)
  end
end
