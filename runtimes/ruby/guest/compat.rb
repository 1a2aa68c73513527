# Standard-library behaviour WebAssembly takes away from CRuby, given back in Ruby: each
# part says what breaks on WASI and how the sandbox restores it. Evaluated into the
# snapshot after runtime.rb; libraries loaded later (zlib, timeout) are patched by
# `LLMSandboxCompat.after_require`, which runtime.rb's require guard calls after every
# require that loaded something. Inlined into the driver at build time.
module LLMSandboxCompat
  def self.after_require
    patch_zlib
    patch_timeout
  end

  # --- Zlib ------------------------------------------------------------------------
  # With a block, zlib's C code yields each 16 KiB of output through a function-pointer
  # cast that WebAssembly's call_indirect rejects: the VM traps (signature mismatch). So
  # these methods run without the block and yield what they produced, in 16 KiB pieces,
  # returning nil as zlib does when it yields.
  ZLIB_CHUNK = 16_384

  def self.yield_output(out, block)
    if out.is_a?(String) && !out.empty?
      (0...out.bytesize).step(ZLIB_CHUNK) { |i| block.call(out.byteslice(i, ZLIB_CHUNK)) }
    end
    nil
  end

  module ZlibClassBlocks
    def deflate(*args, **kw, &block)
      return super unless block
      LLMSandboxCompat.yield_output(super(*args, **kw, &nil), block)
    end

    def inflate(*args, **kw, &block)
      return super unless block
      LLMSandboxCompat.yield_output(super(*args, **kw, &nil), block)
    end
  end

  module ZlibStreamBlocks
    %i[deflate inflate flush finish flush_next_out params].each do |name|
      define_method(name) do |*args, **kw, &block|
        return super(*args, **kw) unless block
        LLMSandboxCompat.yield_output(super(*args, **kw, &nil), block)
      end
    end
  end

  def self.patch_zlib
    return if @zlib || !defined?(::Zlib::ZStream)
    @zlib = true
    [::Zlib::Deflate.singleton_class, ::Zlib::Inflate.singleton_class, ::Zlib.singleton_class].each { |c| c.prepend(ZlibClassBlocks) }
    [::Zlib::ZStream, ::Zlib::Deflate, ::Zlib::Inflate].each { |c| c.prepend(ZlibStreamBlocks) }
  end
  # --- Timeout -----------------------------------------------------------------------
  # The timeout library runs a watcher thread; WASI has no threads (Thread.new raises
  # NotImplementedError). Here the block runs under a TracePoint that looks at the
  # monotonic clock every few dozen line/call events and stops it at the deadline, the
  # way timeout does: a klass given is raised inside the block; otherwise an internal
  # Exception unwinds it and becomes Timeout::Error ("execution expired") outside. A
  # sleep inside the block sleeps only until the deadline. Code that runs long inside
  # one C call (a huge sort) is stopped when it returns.
  module Deadlines
    # Unwinds a block whose deadline passed (not a StandardError: `rescue => e` in the
    # block must not swallow it, as with timeout's own ExitException).
    class Expired < Exception
      attr_reader :entry

      def initialize(entry)
        @entry = entry
        super("execution expired")
      end
    end

    Entry = Struct.new(:deadline, :klass, :message, :fired)
    CHECK_EVERY = 32
    @entries = []
    @tick = 0
    @trace = TracePoint.new(:line, :call, :b_call, :c_return) do
      @tick += 1
      check if (@tick % CHECK_EVERY).zero?
    end

    def self.now = Process.clock_gettime(Process::CLOCK_MONOTONIC)

    def self.run(sec, klass, message)
      entry = Entry.new(now + sec, klass, message, false)
      @entries.push(entry)
      @trace.enable if @entries.size == 1
      begin
        yield(sec)
      rescue Expired => e
        raise unless e.entry.equal?(entry)
        raise ::Timeout::Error, message, e.backtrace
      ensure
        @entries.delete(entry)
        @trace.disable if @entries.empty?
      end
    end

    # Raises for the outermost block whose deadline passed; inner blocks unwind with it.
    def self.check
      t = now
      i = @entries.index { |e| !e.fired && e.deadline <= t }
      return unless i
      @entries[i..].each { |e| e.fired = true }
      fire(@entries[i])
    end

    def self.fire(entry)
      raise entry.klass, entry.message if entry.klass
      raise Expired.new(entry)
    end

    # Seconds until the nearest deadline, or nil when no block is timed.
    def self.remaining
      live = @entries.reject(&:fired)
      live.empty? ? nil : live.map(&:deadline).min - now
    end
  end

  module TimeoutWithoutThreads
    def timeout(sec, klass = nil, message = nil, &block)
      return yield(sec) if sec.nil? || sec.zero?
      raise ArgumentError, "Timeout sec must be a non-negative number" if 0 > sec
      LLMSandboxCompat::Deadlines.run(sec, klass, message || "execution expired", &block)
    end
  end

  # sleep inside a timed block wakes at the deadline and stops the block there.
  module DeadlineSleep
    private

    def sleep(*args)
      left = LLMSandboxCompat::Deadlines.remaining
      return super if left.nil?
      want = args.first
      return super if !want.nil? && want <= left
      slept = super([left, 0].max)
      LLMSandboxCompat::Deadlines.check
      slept
    end
  end

  def self.patch_timeout
    return if @timeout || !defined?(::Timeout::Error)
    @timeout = true
    ::Timeout.singleton_class.prepend(TimeoutWithoutThreads)
    ::Timeout.prepend(TimeoutWithoutThreads)
  end
  Kernel.prepend(DeadlineSleep)
  # --- File modes ---------------------------------------------------------------------
  # WASI has no permission bits: chmod fails with ENOSYS and File::Stat#mode carries only
  # the file type. The sandbox keeps the modes a run sets (per path, for this run) and
  # reports them from File::Stat#mode; files it never chmod-ed read as 0644 (directories
  # 0755), as a fresh file under a usual umask does.
  MODES = {}

  def self.mode_key(path)
    File.expand_path(path.respond_to?(:to_path) ? path.to_path : path)
  end

  module FileClassModes
    def chmod(mode, *paths)
      paths.each do |path|
        stat(path)
        MODES[LLMSandboxCompat.mode_key(path)] = Integer(mode) & 0o7777
      end
      paths.size
    end

    def lchmod(mode, *paths)
      paths.each do |path|
        lstat(path)
        MODES[LLMSandboxCompat.mode_key(path)] = Integer(mode) & 0o7777
      end
      paths.size
    end

    def stat(path)
      super.tap { |s| s.instance_variable_set(:@llm_sandbox_path, LLMSandboxCompat.mode_key(path)) }
    end

    def lstat(path)
      super.tap { |s| s.instance_variable_set(:@llm_sandbox_path, LLMSandboxCompat.mode_key(path)) }
    end
  end

  module FileModes
    def chmod(mode)
      MODES[LLMSandboxCompat.mode_key(path)] = Integer(mode) & 0o7777
      0
    end

    def stat
      super.tap { |s| s.instance_variable_set(:@llm_sandbox_path, LLMSandboxCompat.mode_key(path)) }
    end
  end

  module StatModes
    def mode
      m = super
      return m unless (m & 0o7777).zero?
      recorded = @llm_sandbox_path && MODES[@llm_sandbox_path]
      m | (recorded || (directory? ? 0o755 : 0o644))
    end
  end

  File.singleton_class.prepend(FileClassModes)
  File.prepend(FileModes)
  File::Stat.prepend(StatModes)
end

LLMSandboxCompat.after_require
