"""The service menu: one entry for each group of pages a role may open (at most seven), every page a role
may open in the menu or one step away on its group's page, and nothing a role may not open."""

from __future__ import annotations

import re

import pytest
from django.urls import resolve, reverse

from opencsc.accounts.roles import Role
from opencsc.core import navigation
from opencsc.core.tests.test_permission_matrix import MATRIX

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"]+)"')


def _user(make_user, role):
    return make_user(role=role, **({"agency": "police"} if role == Role.PARTNER else {}))


def _menu_html(page: str) -> str:
    start = page.index('<nav aria-label="Menu"')
    return page[start:page.index("</nav>", start)]


def _main_html(page: str) -> str:
    return page[page.index('id="main-content"'):page.index("</main>")]


def _may_open(role, url) -> bool:
    match = resolve(url)
    entry = MATRIX[f"{match.namespace}:{match.url_name}"]
    return role in entry.page_roles


@pytest.mark.parametrize("role", Role.values)
def test_each_role_has_a_short_menu_that_reaches_every_page_it_may_open(client, make_user, role):
    user = _user(make_user, role)
    client.force_login(user)
    items = navigation.items_for(user, "/")
    menu = navigation.menu_for(user, "/")

    home = client.get(reverse("core:accessibility")).content.decode()
    top = HREF.findall(_menu_html(home))
    assert len(top) == len(menu) <= 7, [entry["label"] for entry in menu]
    reachable = set(top)
    for url in top:
        if url.startswith("/menu/"):
            page = client.get(url)
            assert page.status_code == 200, url
            on_page = HREF.findall(_main_html(page.content.decode()))
            assert len(on_page) >= 2, url  # a group of one links straight to its page
            reachable |= set(on_page)
    assert {item["url"] for item in items} <= reachable
    # Nothing is linked that the role may not open.
    for url in reachable:
        if not url.startswith("/menu/"):
            assert _may_open(role, url), (role, url)


def test_every_item_has_a_group_and_a_description():
    for item in navigation._ITEMS:
        assert item.group in navigation.GROUPS, item
        assert item.description and item.description.endswith("."), item


def test_a_team_manager_sees_six_groups_in_order(make_user):
    labels = [entry["label"] for entry in navigation.menu_for(make_user(role=Role.TEAM_MANAGER), "/")]
    assert labels == ["My work", "Front door", "Children", "Team", "Reports", "Administration"]


def test_the_active_group_is_marked(signed_in):
    client = signed_in(Role.TEAM_MANAGER)

    on_page = _menu_html(client.get(reverse("workforce:workload")).content.decode())
    assert f'href="{reverse("core:menu_group", args=["team"])}" aria-current="true"' in on_page
    assert on_page.count("aria-current") == 1

    on_group = _menu_html(client.get(reverse("core:menu_group", args=["team"])).content.decode())
    assert f'href="{reverse("core:menu_group", args=["team"])}" aria-current="page"' in on_group
    assert on_group.count("aria-current") == 1

    # A group of one links straight to its page, which is then the current page.
    on_single = _menu_html(client.get(reverse("timescales:my_work")).content.decode())
    assert f'href="{reverse("timescales:my_work")}" aria-current="page"' in on_single


def test_a_group_page_lists_what_the_user_may_open_with_a_line_about_each(signed_in):
    page = signed_in(Role.SOCIAL_WORKER).get(reverse("core:menu_group", args=["children"])).content.decode()
    main = _main_html(page)
    assert "<h1" in main and ">Children</h1>" in main
    assert reverse("people:search") in main and "Search by name" in main
    assert reverse("care:list") in main
    assert reverse("otherduties:lado_list") not in main  # a social worker may not open the LADO list
    # Find a child is searched from here, one step from the menu as before
    assert f'action="{reverse("people:search")}"' in main and 'name="q"' in main


@pytest.mark.parametrize(("role", "group"), [
    (Role.SOCIAL_WORKER, "administration"),  # nothing in it for them
    (Role.PARTNER, "team"),
    (Role.TEAM_MANAGER, "no-such-group"),
])
def test_a_group_with_nothing_for_the_user_is_not_found(signed_in, role, group):
    kwargs = {"agency": "police"} if role == Role.PARTNER else {}
    assert signed_in(role, **kwargs).get(reverse("core:menu_group", args=[group])).status_code == 404


def test_signed_out_visitors_see_no_menu(client):
    page = client.get(reverse("core:accessibility")).content.decode()
    assert 'aria-label="Menu"' not in page


def test_an_item_must_name_a_known_group():
    with pytest.raises(ValueError):
        navigation.register(navigation.NavItem("Nowhere", "core:home", group="nowhere"))
