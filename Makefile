# The two commands of the README, plus a few conveniences.
.PHONY: run test lint seed rebuild clean screenshots

run:            ## install, migrate, seed the demo world if empty, start everything
	bin/run

test:           ## install test tools and run the whole suite against a real Redis
	bin/test

lint:
	bin/setup dev && .venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/lint-imports

seed:
	bin/setup && .venv/bin/python manage.py seed_demo

screenshots:    ## PNGs of the main pages at phone and desktop size -> docs/screenshots/
	bin/screenshots

clean:          ## remove local state (database, Redis data, media) - not the code
	rm -rf var
