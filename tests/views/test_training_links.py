"""The programme page leads each person to the training pages that are theirs: the owner to every class's
sign-in board and attendance list and to the spending, a class assistant to their own class only, an
enrolled worker to their own attendance; the training index to the figures and education upgrades."""

from __future__ import annotations

from tests.factories_training import ClassFactory, EnrolmentFactory, ProgrammeFactory


def test_each_person_sees_their_own_links(world, client, login):
    programme = ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_b.id)
    mine = ClassFactory(programme=programme, assistant_id=world.worker_b.id)
    other = ClassFactory(programme=programme)
    EnrolmentFactory(programme=programme, worker=world.worker_b)
    login(client, world.hr_b)
    page = client.get(f"/training/{programme.id}").get_data(as_text=True)
    for c in (mine, other):
        assert f'data-testid="signin-board-{c.id}"' in page and f'data-testid="attendance-{c.id}"' in page
    assert 'data-testid="spending-link"' in page and 'data-testid="completion-link"' in page
    login(client, world.worker_b)
    page = client.get(f"/training/{programme.id}").get_data(as_text=True)
    assert f'data-testid="signin-board-{mine.id}"' in page and f'data-testid="signin-board-{other.id}"' not in page
    assert f'data-testid="my-attendance-{other.id}"' in page
    assert 'data-testid="spending-link"' not in page and 'data-testid="completion-link"' not in page
    assert 'data-testid="my-certificates"' in client.get("/training/mine").get_data(as_text=True)
    login(client, world.hr_b)
    index = client.get("/training/").get_data(as_text=True)
    assert 'data-testid="training-figures"' in index and 'data-testid="education-upgrades"' in index
