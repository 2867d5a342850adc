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
