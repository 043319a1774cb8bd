"""Background jobs and periodic tasks: long work never runs inside a person's request.

What runs here: exports over a few thousand rows, imports, report PDFs, outbound messages (each
domain registers its own kinds), and the time-driven work of the scheduler (reminders, notice periods
that end, expired files).

Entry points:
- queue.enqueue(actor, kind, **params) -> Job: record the job; it starts once the request commits.
- queue.job_kind(name): decorator registering the function that does one kind of job.
- queue.get_job(actor, job_id), queue.job_file(actor, job_id), queue.progress_of(job): the job page.
- queue.run_job(job_id): what a worker (RQ), a thread or a test runs.
- scheduler.periodic(name, every): decorator registering a periodic task; scheduler.tick(): run the
  tasks that are due, safe when several copies run at once (`flask tick`, cron or a systemd timer).

Where jobs run (JOBS_BACKEND): "rq" on Redis with `flask jobs-worker` in production; "thread" in the
app process (`make run` without Redis); "inline" in tests (run to the end right after the commit).
"""
