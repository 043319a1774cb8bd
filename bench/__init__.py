"""The benchmark of issue 10 ("Speed at the city's scale").

- bench/seed/: `flask seed-scale`, the city's scale (2,500 enterprises, 250,000 workers, ...) written in bulk
  around the demo accounts, with a manifest of the ids the benchmark visits.
- bench/pages.py: the fixed list of pages measured, per role.
- bench/run.py: `make bench`, the harness (gunicorn, wrk, a bare hello app for the ratio).
- bench/hello.py: that bare app.

It is a benchmark, not a test: CI times nothing. The app never imports this package; only cli.py does,
inside the `seed-scale` command.
"""
