# Runs /app/user_code.py as __main__ inside the sandbox (passed to `python -I -c`).
# sys.argv on entry: ["-c", <state file path or "">, <"1" if the host set PYTHONHASHSEED>, *user_args].
# When state persistence is on, the host prepends the helpers that define
# __llm_sandbox_load_state / __llm_sandbox_save_state.
def __llm_sandbox_run():
    import os
    import sys

    g = sys.modules["__main__"].__dict__
    load = g.pop("__llm_sandbox_load_state", None)
    save = g.pop("__llm_sandbox_save_state", None)
    g.pop("__llm_sandbox_run", None)
    state_path = sys.argv[1] if len(sys.argv) > 1 else ""
    if len(sys.argv) > 2 and sys.argv[2] == "1":
        # The host fixed the hash seed for deterministic fuel; the program should still
        # see exactly the policy's environment.
        os.environ.pop("PYTHONHASHSEED", None)
    # Put the workspace first (as the script directory is for a normal script), then
    # the stdlib, the vendored packages and our helper library.
    stdlib = [p for p in sys.path if p and p != "/app"]
    sys.path[:] = ["/app", *stdlib, "/data/site-packages", "/data/sandbox-lib"]
    sys.argv = ["/app/user_code.py", *sys.argv[3:]]
    try:
        os.chdir("/app")
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
        load(state_path, g)
    status = 0
    try:
        with open("/app/user_code.py", encoding="utf-8") as f:
            source = f.read()
        exec(compile(source, "/app/user_code.py", "exec"), g)
    except SystemExit:
        raise
    except BaseException as e:  # report like the interpreter would, minus our own frames
        tb = e.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename == "<string>":
            tb = tb.tb_next
        import traceback

        traceback.print_exception(type(e), e, tb)
        status = 1
    finally:
        if save is not None and state_path:
            try:
                sys.stdout.flush()
            except Exception:
                pass
            save(state_path, g)
    if status:
        sys.exit(status)


__llm_sandbox_run()
