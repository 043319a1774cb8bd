"""Job pages: the list of one's own jobs, one job's progress (refreshing itself), its file."""

from __future__ import annotations

from io import BytesIO

from flask import render_template, send_file
from flask_login import current_user

from blueprints.access import roles_required
from blueprints.jobs import bp
from services.jobs import queue


@bp.route("/")
@roles_required()
def index():
    return render_template("jobs/index.html", jobs=queue.recent_jobs(current_user))


@bp.route("/<int:job_id>")
@roles_required()
def show(job_id: int):
    job = queue.get_job(current_user, job_id)
    done, total = queue.progress_of(job)
    return render_template("jobs/show.html", job=job, done=done, total=total)


@bp.route("/<int:job_id>/progress")
@roles_required()
def progress(job_id: int):
    """JSON for the page's script: {status, done, total}."""
    job = queue.get_job(current_user, job_id)
    done, total = queue.progress_of(job)
    return {"status": job.status, "done": done, "total": total}


@bp.route("/<int:job_id>/download")
@roles_required()
def download(job_id: int):
    job, data = queue.job_file(current_user, job_id)
    inline = job.result_type == "application/pdf"  # PDFs open in the browser (WeChat often fails downloads)
    response = send_file(BytesIO(data), mimetype=job.result_type, as_attachment=not inline,
                         download_name=job.result_name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
