import pytest

from opencsc.returns import registry

from . import fake_return


@pytest.fixture
def fake(monkeypatch):
    """Register the fake return as "cin" (whatever H3's package holds), with no issues to start with."""
    kind = registry.ReturnKind("cin", "opencsc.returns.tests.fake_return", "Children in need census", "one XML file",
                               by_year=True)
    monkeypatch.setitem(registry.KINDS, "cin", kind)
    monkeypatch.setattr(fake_return, "ISSUES", [])
    monkeypatch.setattr(fake_return, "FAIL", None)
    monkeypatch.setattr(fake_return, "CALLS", [])
    return fake_return
