"""Behind a proxy, the client's address comes from X-Forwarded-For, but only when a trusted proxy sent it.

Without ALONGSIDE_TRUSTED_PROXIES the header is anybody's to write, so it is ignored: every audit row's
"from" and allauth's per-address sign-in limit use the connecting address.
"""

import pytest
from allauth.account.adapter import get_adapter
from django.test import RequestFactory

from audit.models import AuditEvent
from tests.conftest import signed_in

PROXY = "10.0.0.5"


def _request(remote_addr, forwarded_for=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **headers)


def _sign_in_ip(request):
    return get_adapter(request).get_client_ip(request)


def test_forwarded_header_is_ignored_without_the_setting(settings):
    settings.TRUSTED_PROXIES = []
    assert _sign_in_ip(_request(PROXY, "203.0.113.9")) == PROXY


def test_forwarded_header_is_honoured_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert _sign_in_ip(_request(PROXY, "203.0.113.9")) == "203.0.113.9"


def test_a_spoofed_header_from_an_untrusted_address_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert _sign_in_ip(_request("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


def test_a_value_the_client_put_before_the_proxy_is_not_believed(settings):
    """The proxy appends the address it saw; what the client typed in front of it is skipped."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert _sign_in_ip(_request(PROXY, "1.2.3.4, 203.0.113.9")) == "203.0.113.9"


def test_a_chain_of_trusted_proxies_is_walked_back(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "192.0.2.1"]
    assert _sign_in_ip(_request(PROXY, "203.0.113.9, 192.0.2.1")) == "203.0.113.9"


def test_a_malformed_forwarded_value_is_not_believed(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert _sign_in_ip(_request(PROXY, "not-an-address")) == PROXY


@pytest.mark.parametrize(
    ("trusted", "remote", "expected"),
    [
        ([], PROXY, PROXY),
        (["10.0.0.5"], PROXY, "203.0.113.9"),
        (["10.0.0.5"], "198.51.100.7", "198.51.100.7"),
    ],
)
def test_the_audit_row_says_where_the_request_came_from(settings, alice, grace, trusted, remote, expected):
    settings.TRUSTED_PROXIES = trusted
    browser = signed_in(alice)
    browser.get(f"/clients/{grace.public_id}/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR="203.0.113.9")
    row = AuditEvent.objects.filter(action="client.view").latest("id")
    assert row.ip_address == expected


def test_the_sign_in_limit_counts_each_forwarded_address_apart(settings, client, alice):
    """Behind a trusted proxy, one person's wrong passwords do not lock everyone else out."""
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    for _ in range(4):
        client.post(
            "/accounts/login/",
            {"login": "nobody@example.org", "password": "wrong-password"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    response = client.post(
        "/accounts/login/",
        {"login": "alice@example.org", "password": "password-for-tests"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert response.status_code == 302
