"""Refused and missing pages show the service's own GOV.UK pages."""


def test_missing_page_shows_page_not_found_in_the_service_layout(signed_in):
    client = signed_in("social_worker")
    response = client.get("/children/999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert "govuk-header" in body


def test_signed_out_user_is_sent_to_sign_in(client):
    response = client.get("/children/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_pages_for_nobody_signed_in_may_be_cached_but_signed_in_pages_may_not(client, make_user):
    public = client.get("/accessibility/")
    assert "no-store" not in public.get("Cache-Control", "")
    client.force_login(make_user())
    for response in (client.get("/accessibility/"), client.get("/"), client.get("/no-such-page/")):
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
