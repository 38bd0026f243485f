# Common Table. Two commands on a fresh machine: `make run` and `make test`.
# .python-version (3.12) makes pyenv's python3 resolve to 3.12.x.
PY ?= python3
export UV_PYTHON_DOWNLOADS := never
UV := .tools/bin/uv
PYTHON := .venv/bin/python
MANAGE := DEBUG=$${DEBUG:-true} $(PYTHON) manage.py
PYTEST_ARGS ?=

.PHONY: run test test-e2e messages check-messages lint migrate demo bench openapi makemessages clean

$(UV):
	$(PY) -m venv .tools && .tools/bin/pip install -q "uv>=0.13,<0.14"

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python "$$($(PY) -c 'import sys; print(sys.executable)')" && touch $@

messages: .venv/.synced
	$(MANAGE) compilemessages --ignore=.venv --ignore=.tools --ignore=node_modules -v0

check-messages:
	@for f in locale/*/LC_MESSAGES/*.po; do msgfmt --check -o /dev/null "$$f" || exit 1; done; echo "catalogs ok"

migrate: messages
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) createcachetable

# The plan is loaded last: its board report of last quarter reads every module's records.
demo: migrate
	$(MANAGE) demo_load
	$(MANAGE) investments_demo_load
	$(MANAGE) businesses_demo_load
	$(MANAGE) workforce_demo_load
	$(MANAGE) displacement_demo_load
	$(MANAGE) scorecards_examples_load
	$(MANAGE) scorecards_demo_load
	$(MANAGE) seats_demo_load
	$(MANAGE) plan_demo_load

# Sets everything up on an embedded SQLite file, loads the demo coalition, prints the logins, serves.
# The background worker (imports applied in the background, reminders' tasks) runs beside the
# server and stops with it.
run: demo
	$(MANAGE) demo_load --logins
	$(MANAGE) db_worker --no-reload -v0 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

test: messages
	DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/pytest $(PYTEST_ARGS)

lint: .venv/.synced
	.venv/bin/ruff check .
	.venv/bin/lint-imports
	$(MANAGE) makemigrations --check --dry-run -v0

openapi: .venv/.synced
	$(MANAGE) openapi_export > docs/openapi.json

makemessages: .venv/.synced
	$(MANAGE) makemessages -l es -l so -l hmn --ignore=.venv --ignore=.tools --ignore=node_modules --ignore=bench --no-obsolete

bench: migrate
	DEBUG=false SECRET_KEY=bench-only-key-0123456789abcdefghijklmnopqrstuvwxyz $(PYTHON) bench/run.py $(ONLY)

clean:
	rm -rf .venv .tools db.sqlite3 db.sqlite3-* staticfiles
