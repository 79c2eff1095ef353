# The production layout in miniature on this machine: Varnish (6081) in front of two gunicorn app
# servers (8101, 8102) sharing PostgreSQL 15 and Redis 7 (6479), from Debian's packages; see the
# README's "Running past one machine: the stack" and scripts/stack.py. `make stack` twice is one
# stack; `make stack-stop` stops exactly what it started (the PostgreSQL database stays).
.PHONY: stack stack-stop stack-status stack-load

stack: $(STAMP)
	$(BIN)/python scripts/stack.py start

stack-stop:
	$(BIN)/python scripts/stack.py stop

stack-status:
	$(BIN)/python scripts/stack.py status

# The load figure (scripts/stack_load.py): 30 s of Zipf readers while an editor saves, through
# Varnish and straight at app server A, on a seeded database of its own (newsroom_stack_load).
# It starts and stops the stack itself: it refuses to run while the stack is up.
stack-load: $(STAMP)
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	$(BIN)/python -m scripts.stack_load
