# The two commands. See README.md.
.PHONY: run test lint format mutate

run:            ## set up MariaDB, Redis, Frappe v15, ERPNext v15, a site with the four apps and demo data; start it
	scripts/run.sh

test:           ## core + contract tests everywhere; bench tests too when a bench is found (FRAPPE_BENCH)
	scripts/test.sh

mutate:         ## mutation testing of every core/ and omni_channel/channels (slow; not part of test): score per app, survivors
	scripts/mutate.sh $(APPS)

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .
