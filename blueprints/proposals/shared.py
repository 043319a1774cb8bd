"""What the view modules of the proposals blueprint share: the acting user, uploads, the ways back, a page of
rows a service reads with their count."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_login import current_user

from blueprints.common import RowsPagination


def current_actor():
    """The logged-in user (the real object, not the proxy) to pass to services."""
    return current_user._get_current_object()


def uploaded_files(name: str = "files") -> list:
    """The files chosen in the multiple file input `name` (empty inputs dropped)."""
    return [f for f in request.files.getlist(name) if f and f.filename]


def back_to_proposal(proposal):
    return redirect(url_for("proposals.show", proposal_id=proposal.id))


def back_to_campaign(campaign, **args):
    return redirect(url_for("proposals.campaign_show", campaign_id=campaign.id, **args))


def back_to_judges(campaign):
    return redirect(url_for("proposals.campaign_judges", campaign_id=campaign.id))


def back_to_results(campaign):
    return redirect(url_for("proposals.results", campaign_id=campaign.id))


class SelfCountedRows(RowsPagination):
    """A page of rows a service reads itself, `page_rows(limit, offset)`, each row followed by the number of
    rows of the whole list (e.g. a window count taken before the page's joins): one statement. Only a page
    past the end (no rows) counts `select`, the list's rows, apart (RowsPagination)."""

    def _query_items(self) -> list:
        rows = self._query_args["page_rows"](self.per_page, self._query_offset)
        self._counted = rows[0][-1] if rows else None
        return rows

    def _query_count(self) -> int:
        return super()._query_count() if self._counted is None else self._counted
