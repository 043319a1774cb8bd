"""Routes of background jobs: a job and its file are seen by the person who asked for it only."""

from tests.route_rules import Rule, logged_in


def _job_of_hr_b(world):
    """A finished job of hr_b's with a file (created directly: the rule is about who may see it)."""
    from datetime import timedelta

    from core import clock
    from models import Job, JobFile, db
    from models.jobs import JOB_DONE

    job = Job(kind="proposals.export", requested_by_id=world.hr_b.id, status=JOB_DONE, params={},
              result_name="x.csv", result_type="text/csv", expires_at=clock.now() + timedelta(hours=1))
    db.session.add(job)
    db.session.flush()
    db.session.add(JobFile(job_id=job.id, data=b"a,b"))
    db.session.commit()
    return {"job_id": job.id}


def _owner_only(status=200):
    return {"anonymous": 302, "worker_a": 404, "judge": 404, "hr_a": 404, "hr_b": status, "admin": 404,
            "town_a": 404, "town_b": 404}


RULES = [
    logged_in("jobs.index"),
    Rule("jobs.show", _owner_only(), url_args=_job_of_hr_b),
    Rule("jobs.progress", _owner_only(), url_args=_job_of_hr_b),
    Rule("jobs.download", _owner_only(), url_args=_job_of_hr_b),
]
