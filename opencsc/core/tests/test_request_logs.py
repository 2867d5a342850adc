"""Structured logs (opencsc/core/logging.py): one JSON line per request with its id, user, route, status and
duration; slow requests and slow queries as warnings with the route; never a name, date of birth, note,
query string or form body."""

import io
import json
import logging
import re

import pytest
from django.db import connection
from django.urls import reverse

from opencsc.core.logging import JsonFormatter, RequestLogMiddleware, current_request, sql_shape
from opencsc.people.models import Child

NAME = "Zephyrine"
SURNAME = "Quillfeather"
NOTE = "Disclosed at school on Tuesday"


@pytest.fixture
def log_lines():
    """Everything logged anywhere at any level during the test, as the production handler writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)

    def lines():
        text = stream.getvalue()
        return text, [json.loads(line) for line in text.splitlines()]

    yield lines
    root.removeHandler(handler)
    root.setLevel(level)


def request_lines(lines):
    return [line for line in lines if line["logger"] == "opencsc.requests"]


@pytest.mark.django_db
def test_a_request_is_one_json_line_with_its_id_user_route_status_and_duration(signed_in, log_lines):
    client = signed_in()

    response = client.get(reverse("people:search"))

    _, lines = log_lines()
    [line] = request_lines(lines)
    assert line["level"] == "INFO" and line["message"] == "request"
    assert line["user_id"] == client.user.pk
    assert line["route"] == "people:search"
    assert (line["method"], line["status"]) == ("GET", 200)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["time"])
    assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"]) and response["X-Request-ID"] == line["request_id"]


@pytest.mark.django_db
def test_the_route_is_the_url_name_not_the_path(signed_in, log_lines):
    client = signed_in()
    child = Child.objects.create(la_child_id="C900001", first_name=NAME, last_name=SURNAME, sex="F",
                                 ethnicity="WBRI")

    client.get(f"/children/{child.pk}/names/")
    client.get("/no-such-page/")

    _, lines = log_lines()
    routes = [(line["route"], line["status"]) for line in request_lines(lines)]
    assert routes[0][0] == "people:aliases"
    assert routes[1] == (None, 404)
    assert not any(str(child.pk) in str(line.get("route")) for line in lines)


@pytest.mark.django_db
def test_a_sign_in_redirect_is_logged_with_the_route_and_no_user(client, log_lines):
    client.get(reverse("core:home"))

    _, lines = log_lines()
    [line] = request_lines(lines)
    assert (line["route"], line["status"], line["user_id"]) == ("core:home", 302, None)


@pytest.mark.django_db
def test_a_slow_request_is_a_warning_with_its_route(signed_in, log_lines, settings):
    settings.OPENCSC_SLOW_REQUEST_MS = 0
    client = signed_in()

    client.get(reverse("people:search"))

    _, lines = log_lines()
    [line] = request_lines(lines)
    assert (line["level"], line["message"], line["route"]) == ("WARNING", "slow request", "people:search")


@pytest.mark.django_db
def test_a_fast_request_is_not_slow(signed_in, log_lines, settings):
    settings.OPENCSC_SLOW_REQUEST_MS = 60_000
    signed_in().get(reverse("people:search"))

    _, lines = log_lines()
    assert [line["level"] for line in request_lines(lines)] == ["INFO"]


@pytest.mark.django_db
def test_slow_queries_are_logged_with_the_route_and_no_parameters(signed_in, log_lines, settings):
    settings.OPENCSC_SLOW_QUERY_MS = -1  # every query counts as slow
    client = signed_in()
    Child.objects.create(la_child_id="C900002", first_name=NAME, last_name=SURNAME, sex="F", ethnicity="WBRI")

    client.get(reverse("people:search"), {"q": f"{NAME} {SURNAME}"})

    text, lines = log_lines()
    queries = [line for line in lines if line["logger"] == "opencsc.queries"]
    assert queries and all(line["message"] == "slow query" and line["level"] == "WARNING" for line in queries)
    assert {line["route"] for line in queries} == {"people:search"}
    assert all(line["database"] == "default" and line["duration_ms"] >= 0 for line in queries)
    assert any("people_child" in line["sql"] and "%s" in line["sql"] for line in queries)
    assert NAME.lower() not in text.lower() and SURNAME.lower() not in text.lower()


@pytest.mark.django_db
def test_names_dates_of_birth_notes_and_query_strings_are_never_logged(signed_in, log_lines, settings):
    """Everything slow, everything at DEBUG: a search by name, a child added by POST, a refused POST."""
    settings.OPENCSC_SLOW_QUERY_MS = -1
    settings.OPENCSC_SLOW_REQUEST_MS = 0
    client = signed_in("team_manager")

    client.get(reverse("people:search"), {"q": f"{NAME} {SURNAME}"})
    client.get(reverse("people:search"), {"q": "2016-05-01"})
    response = client.post(reverse("people:child_create"), {
        "first_name": NAME, "last_name": SURNAME, "sex": "F", "ethnicity": "WBRI", "religion": NOTE,
        "date_of_birth-day": "17", "date_of_birth-month": "3", "date_of_birth-year": "2016"})
    child = Child.objects.get(last_name=SURNAME)  # it was written (so its INSERT was logged, shape only)
    signed_in("social_worker").post(f"/children/{child.pk}/details/", {"first_name": NAME, "religion": NOTE})

    text, lines = log_lines()
    assert response.status_code == 302 and len(request_lines(lines)) == 4
    assert any(line["sql"].startswith("INSERT INTO \"people_child\"") for line in lines if "sql" in line)
    for secret in (NAME, SURNAME, NOTE, "2016-03-17", "2016-05-01", "17/03/2016", "?q=", "q=zeph", "date_of_birth-day"):
        assert secret.lower() not in text.lower(), f"{secret!r} was logged"


@pytest.mark.django_db
def test_a_well_formed_request_id_is_kept_and_sent_back(client, log_lines):
    response = client.get(reverse("accounts:login"), headers={"X-Request-ID": "nginx-5f2c9a0e71d84b6c"})

    _, lines = log_lines()
    assert response["X-Request-ID"] == "nginx-5f2c9a0e71d84b6c"
    assert request_lines(lines)[0]["request_id"] == "nginx-5f2c9a0e71d84b6c"


@pytest.mark.django_db
@pytest.mark.parametrize("supplied", ["short", "has spaces in it", "x" * 129, "id\nforged log line", "<script>1</script>"])
def test_a_malformed_request_id_is_replaced(client, log_lines, supplied):
    response = client.get(reverse("accounts:login"), headers={"X-Request-ID": supplied})

    _, lines = log_lines()
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert request_lines(lines)[0]["request_id"] == response["X-Request-ID"]
    assert supplied not in "".join(log_lines()[0])


def test_lines_logged_during_a_request_carry_its_context(rf):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("opencsc.tests.context")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    seen = {}

    def view(request):
        seen.update(current_request())
        logger.info("inside")
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("failed")
        from django.http import HttpResponse

        return HttpResponse("ok")

    try:
        RequestLogMiddleware(view)(rf.get("/", headers={"X-Request-ID": "abcdefgh1234"}))
        logger.info("outside")
    finally:
        logger.removeHandler(handler)
    inside, failed, outside = (json.loads(line) for line in stream.getvalue().splitlines())
    assert inside["request_id"] == failed["request_id"] == seen["request_id"] == "abcdefgh1234"
    assert "ValueError: boom" in failed["exception"] and failed["level"] == "ERROR"
    assert "request_id" not in outside and current_request() == {}


def test_the_sql_shape_drops_literals():
    assert sql_shape("SELECT *\n  FROM people_child WHERE last_name = 'O''Brien' AND id = %s") == (
        "SELECT * FROM people_child WHERE last_name = '?' AND id = %s")


def test_the_slow_query_wrapper_is_removed_after_the_request(rf, settings):
    RequestLogMiddleware(lambda request: __import__("django.http").http.HttpResponse())(rf.get("/"))
    assert connection.execute_wrappers == []
