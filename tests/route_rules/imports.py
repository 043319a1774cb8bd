"""Routes of bulk imports: HR imports its own roster, admins the enterprise list; a batch is seen by
its importer's side only (another enterprise's HR and admins get 404 for a roster batch)."""

from tests.route_rules import only


def _roster_batch_of_hr_b(world):
    """A previewed roster import of enterprise B (uploaded through the service; the preview job runs)."""
    import io

    from werkzeug.datastructures import FileStorage

    from models import db
    from services.imports import batches

    data = "姓名,手机号,工号\n新人,13655559999,B-NEW\n".encode("utf-8-sig")
    batch = batches.upload(world.hr_b, "roster", FileStorage(io.BytesIO(data), "roster.csv"))
    db.session.commit()
    return {"batch_id": batch.id}


RULES = [
    only("imports.roster", {"hr_a": 200, "hr_b": 200}),
    only("imports.roster", {"hr_a": 200, "hr_b": 200}, method="POST", note="(no file)"),
    only("imports.roster_template", {"hr_a": 200, "hr_b": 200}),
    only("imports.enterprises", {"admin": 200}),
    only("imports.enterprises", {"admin": 200}, method="POST", note="(no file)"),
    only("imports.enterprises_template", {"admin": 200}),
    only("imports.batch", {"hr_a": 404, "hr_b": 200, "admin": 404}, url_args=_roster_batch_of_hr_b),
    only("imports.apply", {"hr_a": 404, "hr_b": 302, "admin": 404}, method="POST", url_args=_roster_batch_of_hr_b),
    only("imports.discard", {"hr_a": 404, "hr_b": 302, "admin": 404}, method="POST", url_args=_roster_batch_of_hr_b),
    only("workers.export", {"hr_a": 200, "hr_b": 200, "admin": 200, "town_a": 200, "town_b": 200}),
    only("workers.export", {"hr_a": 302, "hr_b": 302, "admin": 302, "town_a": 302, "town_b": 302}, method="POST",
         note="(starts the job)"),
]
