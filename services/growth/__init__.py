"""The worker's growth record (成长档案): one time line per worker across every part of the
platform (docs/domain.md, "The worker's growth record"). It reads every area and writes nothing.

Entry points (import the module you need; nothing is re-exported here):
- timeline: Event, timeline(worker, viewer) (the record, oldest first, as the viewer may see it);
  record(worker, viewer) (the page's trade, title badges and time line)
- records: records_of(worker_id) (the plain dated sections and the trade in one statement)
- record_pdf: growth_record_pdf(worker, awards, viewer) (the record as a PDF)
- policy: can_view(actor, worker) (who may see it; the view loads the worker with
  services.accounts.people.get_worker(actor, id, may_see=policy.can_view))
"""
