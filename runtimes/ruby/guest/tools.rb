# Host functions ("code mode") for Ruby: `Tools.search(query: "x")`.
#
# Evaluated into the snapshot with the other guest files; `LLMSandboxRuntime.run` calls
# `LLMSandboxTools.install` with the control device's handle and the run's tool manifest
# before any user code runs, and only when the run has tools, so `Tools` exists exactly
# then. Each tool becomes a module function of `Tools` taking keyword arguments (or one
# Hash); the arguments cross as a JSON object, the result comes back as JSON data: Hash
# (String keys), Array, String, Integer, Float, true, false or nil. A failed call raises
# `Tools::ToolError` (a StandardError) with the host's message; `#tool` and `#kind` say
# which call and why (UnknownTool, InvalidArguments, ToolFailed, ToolTimeout,
# ToolBudgetExceeded, ...).
#
# A call is one JSON line written to the control device (`{"kind":"call",...}`) and one
# reply line read back from it; the program waits while the host runs the handler.

module LLMSandboxTools
  # What may cross as JSON: Symbols become Strings (keys and values), anything else that
  # is not plain data is refused here rather than turned into its `to_s`.
  def self.plain(value, depth = 0)
    raise TypeError, "tool arguments nest too deeply" if depth > 200
    case value
    when Hash then value.each_with_object({}) { |(k, v), out| out[key(k)] = plain(v, depth + 1) }
    when Array then value.map { |v| plain(v, depth + 1) }
    when String, Integer, true, false, nil then value
    when Symbol then value.to_s
    when Float
      raise TypeError, "tool arguments must be finite numbers, not #{value}" unless value.finite?
      value
    else raise TypeError, "tool arguments must be JSON data (Hash, Array, String, Integer, Float, true, false, nil), not #{value.class}"
    end
  end

  def self.key(k)
    return k.to_s if k.is_a?(String) || k.is_a?(Symbol)
    raise TypeError, "tool argument keys must be Strings or Symbols, not #{k.class}"
  end

  # Bytes read per system call; replies are usually one read.
  CHUNK = 65536

  # The arguments as JSON text. Plain data goes through one reused strict generator; what
  # it refuses (Symbols, other objects, NaN) goes through `plain`, which converts Symbols
  # and names anything else.
  def self.arguments_json(args)
    return "{}" if args.empty?
    (@strict ||= JSON::State.new(strict: true)).generate(args)
  rescue JSON::JSONError
    JSON.generate(plain(args))
  end

  # The call line: a tool name that is an identifier needs no escaping.
  def self.call_line(name, args)
    tool = name.match?(/\A[a-z][a-z0-9_]{0,63}\z/) ? "\"#{name}\"" : JSON.generate(name)
    %({"kind":"call","tool":#{tool},"args":#{arguments_json(args)}}\n)
  end

  # One request line out, one reply line back (nil when the host did not answer). One
  # write and usually one read of a reused buffer: Ruby's buffered write + flush cost half
  # again as much, and a fresh 1 MiB string per call made its GC run every few calls.
  def self.request(io, line)
    io.syswrite(line)
    reply = io.sysread(CHUNK, @buffer ||= String.new(capacity: CHUNK))
    unless reply.end_with?("\n")
      reply = reply.b # binary while gathering: chunks may split a UTF-8 character
      reply << io.sysread(CHUNK, @buffer).b until reply.end_with?("\n")
    end
    JSON.parse(reply.force_encoding(Encoding::UTF_8))
  rescue EOFError, IOError, SystemCallError, JSON::ParserError
    nil
  end

  def self.doc(entry)
    params = entry.fetch("parameters", []).map { |p| "#{p["name"]}#{p["required"] ? "" : "?"}: #{p["type"]}" }
    lines = ["Tools.#{entry["name"]}(#{params.join(", ")}) -> #{entry["returns"]}", entry["description"].to_s]
    entry.fetch("parameters", []).each { |p| lines << "  #{p["name"]}: #{p["description"]}" if p["description"] }
    lines.join("\n")
  end

  # Defines `::Tools` over the control device `io` from the run's manifest (an Array of
  # `{ "name", "description", "parameters", "returns" }`).
  def self.install(io, manifest)
    tools = Module.new
    error = Class.new(StandardError) do
      attr_reader :tool, :kind

      def initialize(tool, kind, message)
        super(message)
        @tool = tool
        @kind = kind
      end
    end
    docs = manifest.to_h { |entry| [entry["name"], doc(entry)] }.freeze
    tools.define_singleton_method(:call_tool) do |name, args = nil, **kwargs|
      name = name.to_s
      raise ArgumentError, "#{name} takes either one Hash of arguments or keyword arguments, not both" if args && !kwargs.empty?
      args = kwargs if args.nil?
      raise TypeError, "#{name} takes a Hash of arguments, not #{args.class}" unless args.is_a?(Hash)
      reply = LLMSandboxTools.request(io, LLMSandboxTools.call_line(name, args))
      raise error.new(name, "NoReply", "the host did not answer") unless reply.is_a?(Hash)
      return reply["value"] if reply["ok"]
      failure = reply["error"].is_a?(Hash) ? reply["error"] : {}
      raise error.new(name, failure.fetch("name", "ToolError").to_s, failure.fetch("message", "").to_s)
    end
    tools.define_singleton_method(:describe) { |name = nil| name ? docs.fetch(name.to_s) : docs.values.join("\n\n") }
    docs.each_key do |name|
      tools.define_singleton_method(name) { |args = nil, **kwargs| tools.call_tool(name, args, **kwargs) }
    end
    Object.send(:remove_const, :Tools) if Object.const_defined?(:Tools, false)
    Object.const_set(:Tools, tools)
    tools.const_set(:ToolError, error)
    tools.freeze
  end
end
