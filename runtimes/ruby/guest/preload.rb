# Libraries loaded into the snapshot, so the runs that use them (most LLM-written Ruby
# requires json) do not pay for loading them: `require "json"` alone costs ~31 M fuel,
# json+set+time+digest ~90 M. RubyGems' spec stubs are read once here too, which takes
# ~65 M fuel off the first require of a bundled gem (csv, minitest). Costs 64 KiB of
# snapshot. The catch, documented: JSON, Set, Time.parse, Digest, SecureRandom and
# StringIO are defined even without a require. Evaluated last: it ends with a GC so the
# snapshot holds no garbage.

require "json"
require "set"
require "time"
require "digest"
require "securerandom"
require "stringio"
Gem::Specification.stubs if defined?(Gem::Specification)
GC.start
