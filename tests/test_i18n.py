"""Danish first, English second.

The UI's source text (the msgids) is Danish, so Danish needs no translations; English comes from
locale/en. These tests cover the language choice per request, Danish date and number formats, and
the English catalogue: complete, and compiled into the committed .mo file.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format, number_format

from partnerships.models import User

EN_MESSAGES = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]")


@pytest.fixture
def karen(db) -> User:
    """A logged-in person without a role: the dashboard greets everyone by first name."""
    return User.objects.create_user(email="karen@example.dk", password="en-god-adgangskode", first_name="Karen")


# ---------------------------------------------------------------------------
# Choosing the language per request (LocaleMiddleware)
# ---------------------------------------------------------------------------
def test_dashboard_is_english_when_the_language_cookie_says_english(client, karen):
    client.force_login(karen)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("dashboard"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "Hello, Karen" in html
    assert "Goddag" not in html


def test_dashboard_stays_danish_when_only_the_browser_asks_for_english(client, karen):
    # Danish first: an English browser does not switch the portal; the footer's switcher does.
    client.force_login(karen)

    response = client.get(reverse("dashboard"), headers={"accept-language": "en-GB,en;q=0.9"})

    assert "Goddag, Karen" in response.content.decode()


def test_dashboard_greeting_translates_with_english_active(karen):
    with translation.override("en"):
        greeting = translation.gettext("Goddag, %(name)s") % {"name": karen.first_name}

    assert greeting == "Hello, Karen"


def test_dashboard_is_danish_by_default(client, karen):
    client.force_login(karen)

    response = client.get(reverse("dashboard"))

    html = response.content.decode()
    assert '<html lang="da">' in html
    assert "Goddag, Karen" in html


@pytest.mark.django_db
def test_login_page_is_danish_without_a_language_preference(client):
    response = client.get(reverse("account_login"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="da">' in html
    assert "Log ind på Kompetenceportalen" in html


@pytest.mark.django_db
def test_login_page_falls_back_to_danish_for_an_unsupported_language(client):
    response = client.get(reverse("account_login"), headers={"accept-language": "de-DE,de;q=0.9"})

    assert '<html lang="da">' in response.content.decode()


def test_language_switcher_remembers_english_for_a_logged_in_user(client, karen):
    client.force_login(karen)

    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("dashboard")})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Hello, Karen" in client.get(reverse("dashboard")).content.decode()


@pytest.mark.django_db
def test_language_switcher_works_on_the_login_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("account_login")})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Log in to Kompetenceportalen" in client.get(reverse("account_login")).content.decode()


# ---------------------------------------------------------------------------
# Danish formats
# ---------------------------------------------------------------------------
def test_dates_use_danish_format():
    with translation.override("da"):
        assert date_format(date(2026, 11, 27), "DATE_FORMAT") == "27. november 2026"
        assert date_format(date(2026, 11, 27), "SHORT_DATE_FORMAT") == "27.11.2026"


def test_numbers_use_danish_decimal_comma_and_thousands_point():
    with translation.override("da"):
        assert number_format(1234567.5, 1, use_l10n=True, force_grouping=True) == "1.234.567,5"


def test_templates_localise_numbers_and_dates_in_danish():
    # USE_THOUSAND_SEPARATOR is on, so plain {{ value }} groups thousands too.
    template = Template("{{ amount }} | {{ day }}")

    with translation.override("da"):
        rendered = template.render(Context({"amount": 1234567.5, "day": date(2026, 11, 27)}))

    assert rendered == "1.234.567,5 | 27. november 2026"


# ---------------------------------------------------------------------------
# The English catalogue
# ---------------------------------------------------------------------------
@dataclass
class Message:
    msgid: str
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstrs: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)


def read_po(path: Path) -> list[Message]:
    """The messages of a .po file (header and obsolete entries left out).

    Enough of the PO format for our catalogues: entries are separated by blank lines, a string may
    continue over several quoted lines, and the quoting follows C (and Python) escapes.
    """
    messages = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        flags: set[str] = set()
        key = ""
        for line in block.splitlines():
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#") or not line.strip():
                continue  # Comments, references, previous msgids (#|) and obsolete entries (#~).
            elif line.startswith('"'):
                fields[key] += ast.literal_eval(line)
            else:
                key, _, value = line.partition(" ")
                fields[key] = ast.literal_eval(value)
        if fields.get("msgid"):
            messages.append(
                Message(
                    msgid=fields["msgid"],
                    msgid_plural=fields.get("msgid_plural"),
                    msgctxt=fields.get("msgctxt"),
                    msgstrs=[value for name, value in sorted(fields.items()) if name.startswith("msgstr")],
                    flags=flags,
                )
            )
    return messages


@pytest.fixture(scope="module")
def english() -> list[Message]:
    messages = read_po(EN_MESSAGES / "django.po")
    assert len(messages) > 100, "the English catalogue looks empty: run makemessages (docs/translations.md)"
    return messages


def test_po_reader_handles_multiline_plural_and_fuzzy_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.html:1\n#, fuzzy, python-format\nmsgid ""\n"Første linje "\n"og anden"\nmsgstr "First"\n\n'
        'msgid "%(n)s bruger"\nmsgid_plural "%(n)s brugere"\nmsgstr[0] "%(n)s user"\nmsgstr[1] ""\n\n'
        '#~ msgid "Gammel"\n#~ msgstr "Old"\n',
        encoding="utf-8",
    )

    first, plural = read_po(po)

    assert first.msgid == "Første linje og anden"
    assert first.flags == {"fuzzy", "python-format"}
    assert plural.msgid_plural == "%(n)s brugere"
    assert plural.msgstrs == ["%(n)s user", ""]


def test_english_catalogue_has_no_untranslated_messages(english):
    untranslated = [m.msgid for m in english if not all(s.strip() for s in m.msgstrs)]

    assert untranslated == [], "translate these in locale/en/LC_MESSAGES/django.po"


def test_english_catalogue_has_no_fuzzy_messages(english):
    # Django skips fuzzy entries, so a fuzzy guess from makemessages shows up as Danish.
    fuzzy = [m.msgid for m in english if "fuzzy" in m.flags]

    assert fuzzy == [], "check these translations and remove the fuzzy flag"


def test_english_translations_keep_every_placeholder(english):
    broken = [
        m.msgid
        for m in english
        for msgstr in m.msgstrs
        if msgstr and set(PLACEHOLDER.findall(msgstr)) != set(PLACEHOLDER.findall(m.msgid))
    ]

    assert broken == []


def test_committed_english_mo_matches_the_po(english):
    # The .mo is committed so machines without GNU gettext get English: it must not lag behind.
    with (EN_MESSAGES / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)

    stale = []
    for m in english:
        if not all(m.msgstrs):
            continue  # Reported by test_english_catalogue_has_no_untranslated_messages.
        if m.msgid_plural:
            got = [compiled.ngettext(m.msgid, m.msgid_plural, n) for n in (1, 2)]
            expected = m.msgstrs[:2]
        elif m.msgctxt:
            got, expected = compiled.pgettext(m.msgctxt, m.msgid), m.msgstrs[0]
        else:
            got, expected = compiled.gettext(m.msgid), m.msgstrs[0]
        if got != expected:
            stale.append(m.msgid)

    assert stale == [], "run `manage.py compilemessages --ignore=.venv` and commit the .mo"


def test_danish_catalogue_exists():
    assert (Path(settings.BASE_DIR) / "locale" / "da" / "LC_MESSAGES" / "django.po").is_file()
