# The Ruby side of the sandbox, evaluated once right after `ruby-init` (with state.rb and
# preload.rb) so that it lands in the memory snapshot every run starts from. Defines
# `LLMSandboxRuntime` and installs the guards. Kernel's process functions are replaced
# because on WASI they do not fail cleanly by themselves (`system` returns true without
# running anything, backticks raise a confusing ArgumentError). `at_exit` is collected
# here and run by `LLMSandboxRuntime.run`, because the VM is never torn down: the run
# ends with `exit!` once output is flushed and state saved.
#
# A run evaluates one line, `LLMSandboxRuntime.start(params_json)` (built by the driver
# from its driver data): it opens the control device first, then reports on it (JSON
# lines) the uncaught exception and what happened to `$state`; stderr gets what `ruby`
# itself would print.
#
# Inlined into the driver at build time (runtimes/ruby/src/driver.ts imports it `?raw`).

module LLMSandboxRuntime
  NO_PROCESS = "subprocesses are not available in the sandbox: Ruby runs inside WebAssembly with no processes to start; do the work in Ruby itself"
  NO_JS = "cannot load such file -- js (host JavaScript is not available in the sandbox)"
  AT_EXIT = []
  HIDDEN_FRAME = /\A(?:eval:|-e:|<internal:|llm-sandbox-bootstrap:)|LLMSandboxRuntime|\A[^:]*:in 'Kernel\.eval'\z/

  def self.js_feature?(name)
    n = name.to_s
    n.match?(/\Ajs(?:\.so|\.rb)?\z/) || n.start_with?("js/")
  end

  def self.deny_process(*)
    raise NotImplementedError, NO_PROCESS
  end

  module KernelGuard
    private

    def system(*) = LLMSandboxRuntime.deny_process
    def spawn(*) = LLMSandboxRuntime.deny_process
    def exec(*) = LLMSandboxRuntime.deny_process
    def fork(*) = LLMSandboxRuntime.deny_process
    def `(*) = LLMSandboxRuntime.deny_process

    def open(name, *rest, **opts, &block)
      LLMSandboxRuntime.deny_process if name.is_a?(String) && name.start_with?("|")
      super
    end

    def at_exit(&block)
      raise ArgumentError, "called without a block" unless block
      LLMSandboxRuntime::AT_EXIT << block
      block
    end

    def require(name)
      raise LoadError, NO_JS if LLMSandboxRuntime.js_feature?(name)
      loaded = super
      LLMSandboxRuntime.serial_minitest if loaded && name.to_s.start_with?("minitest")
      LLMSandboxCompat.after_require if loaded
      loaded
    end
  end

  # Minitest runs tests through a thread pool, and WASI has no threads: swap in an
  # executor that runs each queued test at once, on the main thread.
  class SerialTestExecutor
    def size = 1
    def start = self
    def shutdown = nil

    def <<(job)
      klass, method, reporter = job
      reporter.synchronize { reporter.prerecord(klass, method) } if reporter.respond_to?(:prerecord)
      result = Minitest.run_one_method(klass, method)
      reporter.synchronize { reporter.record(result) }
    end
  end

  def self.serial_minitest
    return unless defined?(Minitest) && Minitest.respond_to?(:parallel_executor=)
    Minitest.parallel_executor = SerialTestExecutor.new unless Minitest.parallel_executor.is_a?(SerialTestExecutor)
  end

  module PublicProcessGuard
    def system(*) = LLMSandboxRuntime.deny_process
    def spawn(*) = LLMSandboxRuntime.deny_process
    def exec(*) = LLMSandboxRuntime.deny_process
    def fork(*) = LLMSandboxRuntime.deny_process
    def daemon(*) = LLMSandboxRuntime.deny_process
    def popen(*) = LLMSandboxRuntime.deny_process
    def `(*) = LLMSandboxRuntime.deny_process
  end

  Kernel.prepend(KernelGuard)
  Kernel.singleton_class.prepend(PublicProcessGuard)
  Process.singleton_class.prepend(PublicProcessGuard)
  IO.singleton_class.prepend(PublicProcessGuard)

  @control = nil

  # One fact for the host on the control channel (JSON line); never raises.
  def self.fact(fields)
    return unless @control
    @control.write(JSON.generate(fields) + "\n")
    @control.flush
  rescue Exception
    nil
  end

  # Ruby's own format for an uncaught exception, built here rather than with full_message
  # because error_highlight and syntax_suggest (which full_message runs) load prism and
  # ripper and parse the file again: seconds of fuel for one error message.
  def self.report(error)
    message = error.detailed_message(highlight: false, error_highlight: false, syntax_suggest: false).gsub(/\e\[[\d;]*m/, "")
    frames = (error.backtrace || []).reject { |line| line.match?(HIDDEN_FRAME) }
    where = frames.first&.match(/\A(.*?):(\d+)/)
    fact(kind: "error", name: error.class.name || error.class.inspect, message: error.message.to_s.scrub, traceback: frames.first(50).join("\n").scrub,
         **(where ? { file: where[1], line: where[2].to_i } : {}))
    lines = [frames.empty? ? message : "#{frames.first}: #{message}"]
    rest = frames.drop(1)
    if rest.length > 40
      lines.concat(rest.first(8).map { |f| "\tfrom #{f}" })
      lines << "\t ... #{rest.length - 12} levels..."
      lines.concat(rest.last(4).map { |f| "\tfrom #{f}" })
    else
      lines.concat(rest.map { |f| "\tfrom #{f}" })
    end
    $stderr.write(lines.join("\n") + "\n")
  rescue Exception
    $stderr.write("#{error.class}\n")
  end

  def self.run_at_exit(status)
    while (block = AT_EXIT.pop)
      begin
        block.call
      rescue SystemExit => e
        status = e.status
      rescue Exception => e
        report(e)
        status = 1
      end
    end
    status
  end

  # The run's parameters as the driver passes them: a JSON object with the user's file
  # (`path`), `env`, `argv`, the state file (`statePath`, or null), `controlPath`, the
  # host functions' manifest (`tools`, or null without tools; guest/tools.rb) and `keep`:
  # with it (a warm session) the run returns its exit status and leaves the VM running for
  # the session's next program: the control device stays open and `$state` stays live.
  # A live VM's executions usually bring the same parameters: parsed once.
  def self.start(params_json)
    params = @last_params&.first == params_json ? @last_params.last : JSON.parse(params_json)
    @last_params = [params_json, params] if params["keep"] == true
    run(params.fetch("path"), params.fetch("env"), params.fetch("argv"), params["statePath"], params.fetch("controlPath"), params["tools"], params["keep"] == true)
  end

  def self.run(path, env, argv, state, control, tools = nil, keep = false)
    # A warm session's later executions continue this VM (see `start`).
    continuing = keep && @kept
    @kept = keep
    @control = (File.open(control, "r+") rescue nil) unless keep && @control
    LLMSandboxTools.install(@control, tools) if @control && tools
    ENV.replace(env)
    ARGV.replace(argv)
    $PROGRAM_NAME = path
    # The snapshot's generator state is shared by every run: reseed it. A live VM's
    # generator is its session's own and goes on.
    srand unless continuing
    dir = File.dirname(path)
    Dir.chdir(dir) unless continuing && Dir.pwd == dir
    status = 0
    begin
      LLMSandboxState.load(state) if state && !(keep && @state_loaded)
      @state_loaded = true if state
      TOPLEVEL_BINDING.eval(File.read(path), path, 1)
    rescue SystemExit => e
      status = e.status
    rescue Exception => e
      report(e)
      status = 1
    end
    status = run_at_exit(status)
    LLMSandboxState.save(state) if state
    return finish(status) unless keep
    $stdout.flush rescue nil
    $stderr.flush rescue nil
    status
  end

  def self.finish(status)
    $stdout.flush rescue nil
    $stderr.flush rescue nil
    Process.exit!(status)
  end
end
$stdout.sync = true
$stderr.sync = true
