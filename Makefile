# The two commands of the README, plus a few conveniences.
.PHONY: run test lint seed rebuild clean screenshots messages

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

messages:       ## after adding or changing a message: extract it to locale/ and compile (GNU gettext)
	.venv/bin/python manage.py makemessages -l zh_Hans --no-location --ignore=.venv --ignore=var \
		--ignore=lab --ignore=tests --ignore=bench --ignore=docs --ignore=node_modules
	msgfmt --check-format -o locale/zh_Hans/LC_MESSAGES/django.mo locale/zh_Hans/LC_MESSAGES/django.po

clean:          ## remove local state (database, Redis data, media) - not the code
	rm -rf var
