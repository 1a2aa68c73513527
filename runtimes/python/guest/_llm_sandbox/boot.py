"""The sandbox's side of every Python execution.

``prepare()`` runs once, when the host builds the interpreter snapshot: it imports what
most programs use, so that every run starts with them already loaded. Each execution then
runs in an interpreter restored from that snapshot, through two calls the driver makes via
the C API (nothing compiled): ``start(config_json)`` applies the run's environment,
arguments and paths and reseeds ``random`` — the part that does not depend on the program,
which a pre-warmed instance has already done before its run takes it — and
``run(config_json)`` opens the control device (before any user code: its first open
unlinks it), runs /app/user_code.py as ``__main__``, reports the uncaught exception and
what happened to the saved globals as JSON lines on the control device, and ends the
process with its exit status. Nothing here is visible to the user's code except through
``sys.modules``.
"""

import builtins
import gc
import json
import os
import random
import sys
import traceback

#: Imported into the snapshot: free for every run. Chosen for what generated code uses.
PRELOAD = (
    "abc", "argparse", "array", "base64", "bisect", "calendar", "collections", "collections.abc",
    "contextlib", "copy", "csv", "dataclasses", "datetime", "decimal", "enum", "fnmatch",
    "fractions", "functools", "glob", "hashlib", "heapq", "itertools", "json", "math",
    "numbers", "operator", "pathlib", "pprint", "random", "re", "shutil", "statistics",
    "string", "struct", "tempfile", "textwrap", "time", "types", "typing", "unicodedata",
    "uuid", "warnings", "zlib", "asyncio", "linecache", "tokenize", "inspect",
    "sandbox_utils", "_llm_sandbox.state", "_llm_sandbox.loop", "_llm_sandbox.compat",
)

_exit = os._exit


def prepare(stdlib, env):
    """Imports PRELOAD and warms what the first run would otherwise pay for; ``env`` is the
    environment most runs get (a run whose environment is the same does not set it again)."""
    sys.path[:] = ["/data/sandbox-lib", stdlib]
    for name in PRELOAD:
        __import__(name)
    from _llm_sandbox import compat, loop

    loop.install()
    compat.install()
    try:
        import _colorize

        _colorize.COLORIZE = False  # tracebacks and help() are plain text: stdout is not a terminal for anyone
    except (ImportError, AttributeError):
        pass
    compile("x = 1", "<warm-up>", "exec")  # initializes the compiler's AST types once, here
    _define_exit()
    _apply_env(env)
    g = sys.modules["__main__"].__dict__
    for name in [n for n in g if n not in ("__name__", "__doc__", "__package__", "__loader__", "__spec__", "__builtins__")]:
        del g[name]
    gc.collect()
    gc.freeze()  # the snapshot's objects are never collected: every run's GC pass skips them


_control = -1

#: The environment this interpreter last applied to ``os.environ`` (``prepare`` or a run).
_env = {}

#: Warm sessions (keepAlive): where ``run`` leaves the exit status instead of ending the
#: process, whether the saved globals were loaded into this live interpreter already, and
#: what the previous run applied (its configuration text, parsed, and the environment as
#: it left it) so that a continuing run redoes only what changed.
_live = {"status_path": None, "state_loaded": False, "config": None, "applied": None, "environ": None}


def keep_alive(status_path):
    """Called by the driver of a warm session before each run: the run then writes its exit
    status to ``status_path`` and returns, leaving the interpreter for the next execution."""
    _live["status_path"] = status_path


def fact(fields):
    """Writes one fact (a JSON line) to the control device; never raises."""
    if _control < 0:
        return
    try:
        data = (json.dumps(fields) + "\n").encode("utf-8", "replace")
        while data:
            data = data[os.write(_control, data):]
    except BaseException:
        pass


def request(line):
    """Host functions: writes one JSON line (a call) to the control device and returns the
    reply line ("" without a device). The engine-independent `tools` module speaks through
    this, as the `_llm_sandbox_host` module."""
    if _control < 0:
        return ""
    data = (line + "\n").encode("utf-8", "surrogatepass")
    while data:
        data = data[os.write(_control, data):]
    chunks = []
    while True:
        chunk = os.read(_control, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
        if chunk.endswith(b"\n"):
            break
    return b"".join(chunks).decode("utf-8", "replace")


#: What ``start`` prepared in this fresh interpreter: its configuration text and the parsed
#: configuration (None until then, and in a warm session's interpreter).
_started = None


def start(config_json):
    """The program-independent part of a fresh interpreter's run (see the module
    documentation). It reads no file, writes nothing and reaches no device, so it is the
    same whether it runs on a pre-warmed instance or first thing in a cold run."""
    global _started
    cfg = json.loads(config_json)
    _prepare(cfg)
    _started = (config_json, cfg)


def run(config_json):
    """Runs one execution; never returns (ends with ``os._exit``) unless a warm session
    asked to keep the interpreter (``keep_alive``)."""
    global _control
    status = 1
    try:
        keep = _live["status_path"] is not None
        started = _started
        if keep or started is None or started[0] != config_json:
            started = None
            cached = _live["config"]
            if cached is not None and cached[0] == config_json:
                cfg = cached[1]
            else:
                cfg = json.loads(config_json)
                if keep:
                    _live["config"] = (config_json, cfg)
        else:
            cfg = started[1]
        try:
            # Kept open for the whole run (and a warm session's later runs): host-function
            # calls answer on the same handle; the device is gone after its first open.
            if not (keep and _control >= 0):
                _control = os.open(cfg["control"], os.O_RDWR)
        except OSError:
            _control = -1
        if started is None:
            _prepare(cfg)
        status = _execute(cfg)
    except BaseException:  # a failure of the sandbox's own step, not of the user's code
        try:
            traceback.print_exc()
        except BaseException:
            pass
    _flush()
    status_path = _live["status_path"]
    if status_path is None:
        _exit(status)
    fd = os.open(status_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        os.write(fd, str(status).encode())
    finally:
        os.close(fd)


def _prepare(cfg):
    """Environment, arguments, paths, ``random``, ``exit`` and ``__main__``'s file name; the
    ``_llm_sandbox_host`` module that host functions speak through."""
    user_path = cfg["userPath"]
    env = cfg["env"]
    keep = _live["status_path"] is not None
    continuing = _live["applied"] is not None
    if keep:
        # A live interpreter whose environment is still what the previous run applied (same
        # configuration, not changed by the program) keeps it; otherwise it is applied afresh.
        if not (continuing and _live["applied"] is cfg and os.environ._data == _live["environ"]):
            _apply_env(env)
            _live["environ"] = dict(os.environ._data)
        _live["applied"] = cfg
    elif env != _env:
        # A fresh interpreter holds exactly what the snapshot applied (the default guest
        # environment): setting it again cost ~60k fuel per run.
        _apply_env(env)
    sys.argv = [user_path, *cfg["args"]]
    extra = [p for p in env.get("PYTHONPATH", "").split(":") if p]
    sys.path[:] = ["/data/sandbox-lib", os.path.dirname(user_path), *extra, cfg["stdlib"], *cfg["paths"]]
    if not continuing:
        # The snapshot's generator state is shared by every run: reseed it. A live
        # interpreter's generator is its session's own and goes on.
        random.seed()
    if not hasattr(builtins, "exit"):
        _define_exit()
    host = type(sys)("_llm_sandbox_host")
    host.request = request
    sys.modules["_llm_sandbox_host"] = host
    g = sys.modules["__main__"].__dict__
    g["__file__"] = user_path
    g["__cached__"] = None


def _execute(cfg):
    user_path = cfg["userPath"]
    g = sys.modules["__main__"].__dict__
    state_path = cfg["statePath"]
    state = None
    if state_path:
        from _llm_sandbox import state
        # A live interpreter already holds its globals: loading them again would replace
        # the live objects with copies.
        if not (_live["status_path"] is not None and _live["state_loaded"]):
            state.load(state_path, g, fact)
        _live["state_loaded"] = True
    status = 0
    try:
        source = _read(user_path)
        code = compile(source, user_path, "exec", dont_inherit=True)
        exec(code, g)
    except SystemExit as e:
        status = _exit_status(e.code)
    except BaseException as e:
        status = 1
        _report(e, user_path)
    finally:
        if state is not None:
            _flush()
            state.save(state_path, g, fact)
    return status


def _apply_env(env):
    global _env
    os.environ.clear()
    os.environ.update(env)
    _env = dict(env)


def _define_exit():
    """``exit``/``quit`` without ``site`` (which the interpreter does not import)."""

    def exit(code=None):
        raise SystemExit(code)

    builtins.exit = builtins.quit = exit


def _read(path):
    """The file's bytes through plain ``os`` calls (``open`` builds a buffered file object)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _exit_status(code):
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    try:
        sys.stderr.write(f"{code}\n")
    except BaseException:
        pass
    return 1


def _report(e, user_path):
    """Prints the traceback the way the interpreter would (without the sandbox's own
    frame) and reports the exception as an ``error`` fact."""
    tb = e.__traceback__
    if tb is not None and tb.tb_frame.f_code is _execute.__code__:
        tb = tb.tb_next
    try:
        text = "".join(traceback.format_exception(type(e), e, tb))
    except BaseException:
        text = f"{type(e).__name__}\n"
    try:
        sys.stderr.write(text)
    except BaseException:
        pass
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == user_path:
            line = tb.tb_lineno
        tb = tb.tb_next
    if line is None and isinstance(e, SyntaxError) and e.filename == user_path:
        line = e.lineno
    try:
        message = str(e)
    except BaseException:
        message = "(the exception's message could not be rendered)"
    cls = type(e)
    # As the traceback prints it: qualified unless built in (json.decoder.JSONDecodeError).
    name = cls.__qualname__ if cls.__module__ in ("builtins", "__main__") else f"{cls.__module__}.{cls.__qualname__}"
    fields = {"kind": "error", "name": name, "message": message[:4000], "traceback": text[-16000:]}
    if isinstance(line, int) and line > 0:
        fields["file"] = user_path
        fields["line"] = line
    fact(fields)


def _flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass
