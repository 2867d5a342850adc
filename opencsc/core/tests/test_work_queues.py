"""The work-queue registry: a queue shows to those with its permission, with the items its selector gives."""

import pytest

from opencsc.core import work


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(work, "_QUEUES", {})
    return work


class _User:
    is_authenticated = True

    def __init__(self, role):
        self.role = role


def test_queues_show_only_to_users_with_the_permission_in_order(registry):
    registry.register_queue(registry.WorkQueue(
        code="b", label="Second", order=20, permission=lambda u: True,
        items=lambda u: [registry.WorkItem(label="Do it", url="/x/", overdue=True)]))
    registry.register_queue(registry.WorkQueue(
        code="a", label="First", order=10, permission=lambda u: u.role == "manager", items=lambda u: []))
    assert [q.queue.code for q in registry.queues_for(_User("manager"))] == ["a", "b"]
    views = registry.queues_for(_User("worker"))
    assert [q.queue.code for q in views] == ["b"]
    assert views[0].count == 1 and views[0].overdue_count == 1


def test_a_code_registers_once_and_anonymous_users_see_nothing(registry):
    first = registry.WorkQueue(code="a", label="First", permission=lambda u: True, items=lambda u: [])
    registry.register_queue(first)
    registry.register_queue(registry.WorkQueue(code="a", label="Again", permission=lambda u: True, items=lambda u: []))
    assert registry.registered_queues() == [first]

    class Anonymous:
        is_authenticated = False
    assert registry.queues_for(Anonymous()) == []
