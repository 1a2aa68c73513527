# Runs /app/user_code.py as __main__ inside the sandbox (passed to `python -c`).
# sys.argv on entry: ["-c", <control device path>, <state file path or "">,
# <comma-separated names of environment variables the host added for itself, e.g.
# "PYTHONHASHSEED,PYTHONPATH">, *user_args].
# When state persistence is on, the host prepends state.py, which defines
# __llm_sandbox_load_state / __llm_sandbox_save_state.
# The control device is opened first, before any user code: the uncaught exception and
# what happened to the saved globals are reported on it as JSON lines (`facts`).
def __llm_sandbox_run():
    # posix (built in), not os: with -S nothing has imported os yet, and importing it
    # costs ~90M fuel that a program which does not need it should not pay.
    import posix
    import sys

    try:
        control = posix.open(sys.argv[1], posix.O_RDWR)
    except OSError:
        control = -1

    def fact(fields):
        if control < 0:
            return
        try:
            import json

            posix.write(control, (json.dumps(fields) + "\n").encode("utf-8", "replace"))
        except Exception:
            pass

    del sys.argv[1]
    g = sys.modules["__main__"].__dict__
    load = g.pop("__llm_sandbox_load_state", None)
    save = g.pop("__llm_sandbox_save_state", None)
    g.pop("__llm_sandbox_run", None)
    report = g.pop("__llm_sandbox_report")
    state_path = sys.argv[1] if len(sys.argv) > 1 else ""
    # The host set a few variables for the interpreter itself (a fixed hash seed for
    # deterministic fuel, the unpacked stdlib on the start-up path); the program should
    # still see exactly the policy's environment. posix.environ is the snapshot
    # os.environ will be built from.
    for name in (sys.argv[2] if len(sys.argv) > 2 else "").split(","):
        if name:
            posix.environ.pop(name.encode(), None)
            posix.unsetenv(name)
    # Put the workspace first (as the script directory is for a normal script), then
    # the stdlib (unpacked copy first: the path finder is much cheaper than zipimport),
    # the vendored packages and our helper library.
    # When the unpacked stdlib was on the start-up path (PYTHONPATH), the embedded zip is
    # left off: it holds the same files, and merely searching it would make zipimport
    # parse its whole directory (~80M fuel) on the first import of anything else.
    skip_zip = "/data/python-stdlib" in sys.path
    path = ["/app", "/data/python-stdlib"]
    for p in [*sys.path, "/data/site-packages", "/data/sandbox-lib"]:
        if p and p not in path and not (skip_zip and p.endswith(".zip")):
            path.append(p)
    sys.path[:] = path
    sys.argv = ["/app/user_code.py", *sys.argv[3:]]
    try:
        posix.chdir("/app")
    except OSError:
        pass
    g["__file__"] = "/app/user_code.py"
    # -S skips the site module (a sixth of start-up fuel); keep the two names from it
    # that scripts do use.
    import builtins

    if not hasattr(builtins, "exit"):

        def exit(code=None):
            raise SystemExit(code)

        builtins.exit = builtins.quit = exit
    if load is not None and state_path:
        load(state_path, g, fact)
    status = 0
    source = ""
    try:
        with open("/app/user_code.py", encoding="utf-8") as f:
            source = f.read()
        # exec of the text, not compile(): the compile() builtin initializes every AST
        # class on first use (~50M fuel). The code's file name is therefore "<string>";
        # the error report below puts the real one back.
        exec(source, g)
    except SystemExit:
        raise
    except BaseException as e:  # report like the interpreter would, minus our own frame
        status = 1
        report(e, source.splitlines(), fact)
    finally:
        if save is not None and state_path:
            try:
                sys.stdout.flush()
            except Exception:
                pass
            save(state_path, g, fact)
    if status:
        sys.exit(status)


def __llm_sandbox_report(e, lines, fact):
    # The interpreter's own (C) traceback printer, captured so that "<string>" frames can
    # be renamed to the user's file and given their source line; no `traceback` import
    # (that alone costs ~300M fuel).
    import io
    import sys

    tb = e.__traceback__
    if tb is not None:
        tb = tb.tb_next  # drop the bootstrap's frame
        e.__traceback__ = tb  # the printer reads the exception's own traceback
    line = None
    last = tb
    while last is not None:
        if last.tb_frame.f_code.co_filename == "<string>":
            line = last.tb_lineno
        last = last.tb_next
    if line is None and isinstance(e, SyntaxError) and e.filename == "<string>":
        line = e.lineno
    buf = io.StringIO()
    real = sys.stderr
    sys.stderr = buf
    try:
        sys.__excepthook__(type(e), e, tb)
    finally:
        sys.stderr = real
    out = []
    for line in buf.getvalue().split("\n"):
        if line.startswith('  File "<string>", line '):
            rest = line[len('  File "<string>", line '):]
            out.append('  File "/app/user_code.py", line ' + rest)
            num, sep, _ = rest.partition(", in ")
            if sep and num.isdigit() and 0 < int(num) <= len(lines):
                text = lines[int(num) - 1].strip()
                if text:
                    out.append("    " + text)
        else:
            out.append(line)
    text = "\n".join(out)
    real.write(text)
    real.flush()
    try:
        message = str(e)
    except BaseException:
        message = "(the exception's message could not be rendered)"
    # As the traceback prints it: qualified unless built in (json.decoder.JSONDecodeError).
    cls = type(e)
    name = cls.__qualname__ if cls.__module__ in ("builtins", "__main__") else f"{cls.__module__}.{cls.__qualname__}"
    fields = {"kind": "error", "name": name, "message": message[:4000], "traceback": text[-16000:]}
    if line is not None:
        fields["file"] = "/app/user_code.py"
        fields["line"] = line
    fact(fields)


__llm_sandbox_run()
