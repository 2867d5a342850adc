"""Behind a trusted proxy the browser's address comes from X-Forwarded-For, so the sign-in throttle per
address counts each browser, not the proxy (one attacker's failures must not refuse the whole council); an
address a client wrote into the header itself is never believed."""

import pytest
from django.test import Client, override_settings

from opencsc.accounts.models import SignInAttempt

SIGN_IN = "/accounts/sign-in/"


def _failed_sign_in_from(remote_addr, forwarded_for=None):
    client = Client(REMOTE_ADDR=remote_addr)
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    client.get(SIGN_IN)
    client.post(SIGN_IN, {"username": "nobody", "password": "not the password at all"}, **headers)
    return SignInAttempt.objects.order_by("-id").values_list("address", flat=True).first()


@pytest.mark.django_db
@pytest.mark.parametrize("proxies, remote_addr, forwarded_for, seen", [
    # nginx on the same server, trusted: the browser's address
    ("127.0.0.1,::1", "127.0.0.1", "203.0.113.5", "203.0.113.5"),
    ("127.0.0.1,::1", "::1", "2001:db8::7", "2001:db8::7"),
    # a load balancer and nginx, both trusted: the nearest address that is not a proxy, read from the right
    ("127.0.0.1, 10.0.0.0/24", "127.0.0.1", "203.0.113.5, 10.0.0.4", "203.0.113.5"),
    # a client's own X-Forwarded-For is to the left of what the trusted proxy added: never believed
    ("127.0.0.1", "127.0.0.1", "198.51.100.1, 203.0.113.5", "203.0.113.5"),
    # not from a trusted proxy: the header is ignored
    ("127.0.0.1", "192.0.2.10", "203.0.113.5", "192.0.2.10"),
    # no proxies configured (the default): REMOTE_ADDR as it arrives
    ("", "127.0.0.1", "203.0.113.5", "127.0.0.1"),
    # a malformed hop stops the reading; nothing before it is believed
    ("127.0.0.1", "127.0.0.1", "203.0.113.5, not-an-address", "127.0.0.1"),
    # no header at all
    ("127.0.0.1", "127.0.0.1", None, "127.0.0.1"),
    # every hop is a proxy: the proxy's own address
    ("127.0.0.1, 10.0.0.0/24", "127.0.0.1", "10.0.0.9", "127.0.0.1"),
])
def test_the_address_the_throttle_counts(proxies, remote_addr, forwarded_for, seen):
    with override_settings(OPENCSC_TRUSTED_PROXIES=proxies):
        assert _failed_sign_in_from(remote_addr, forwarded_for) == seen


@pytest.mark.django_db
def test_behind_nginx_one_browsers_failures_do_not_throttle_another():
    with override_settings(OPENCSC_TRUSTED_PROXIES="127.0.0.1", OPENCSC_SIGN_IN_ATTEMPTS_PER_ADDRESS=3,
                           OPENCSC_SIGN_IN_ATTEMPTS_PER_ACCOUNT=100, OPENCSC_LOCKOUT_FAILURES=100):
        for _ in range(4):
            _failed_sign_in_from("127.0.0.1", "203.0.113.66")  # the attacker is throttled...
        assert SignInAttempt.objects.filter(address="203.0.113.66", outcome="refused").exists()
        _failed_sign_in_from("127.0.0.1", "198.51.100.20")  # ...another browser is not
        assert SignInAttempt.objects.filter(address="198.51.100.20").values_list("outcome", flat=True).get() == "failed"
