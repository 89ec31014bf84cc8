"""The header's menu bar: related entries share a drop-down, so the bar fits one line."""

from __future__ import annotations

from django.test.utils import override_script_prefix
from django.urls import reverse


def _bar(client_for, user):
    return client_for(user).get(reverse("dashboard")).context["nav_bar"]


def test_the_firm_pages_share_one_drop_down_for_a_consultant(client_for, consultant_a):
    bar = _bar(client_for, consultant_a)

    labels = [str(item["label"]) for item in bar]
    assert labels.count("Virksomheder") == 1
    group = next(item for item in bar if item.get("children"))
    assert [str(child["label"]) for child in group["children"]] == [
        "Virksomheder",
        "Mine virksomheder",
        "Til behandling",
        "Nye henvendelser",
        "Rekrutteringsbehov",
    ]
    assert "Mine virksomheder" not in labels and "Til behandling" not in labels


def test_the_group_marks_itself_active_on_one_of_its_pages(client_for, consultant_a):
    bar = client_for(consultant_a).get(reverse("companies:mine")).context["nav_bar"]

    group = next(item for item in bar if item.get("children"))
    assert group["active"] is True
    assert [child["active"] for child in group["children"]] == [False, True, False, False, False]


def test_the_menu_bar_holds_at_most_six_entries_for_every_role(
    client_for, consultant_a, secretariat_a, management, administrator
):
    for user in (consultant_a, secretariat_a, management, administrator):
        assert len(_bar(client_for, user)) <= 6, user


def test_the_menu_links_follow_the_script_prefix_they_are_served_under(client_for, consultant_a):
    # The navigation's URLs are worked out once per process: once for each prefix, not once for all.
    client = client_for(consultant_a)
    mine = reverse("companies:mine")
    plain = client.get(reverse("dashboard")).content.decode()
    with override_script_prefix("/portal/"):
        under_prefix = client.get(reverse("dashboard")).content.decode()

    assert f'href="/portal{mine}"' in under_prefix
    assert f'href="{mine}"' in plain and 'href="/portal/' not in plain
