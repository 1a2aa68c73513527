"""The sandbox's own modules: the per-run bootstrap, state persistence, the event loop."""
