"""The ESF participant file's rows: one per participant taking part in the period (entered by its end
and not left before its start), every ESF field (``ESF.md``); the CPR number masked (``esf_rows``)
unless the caller passes rows from ``cpr_rows`` (``activities.reveal_cpr``, two factors and a reason:
each number recorded as exported through ``activities.services.participant_cpr_export``, chunk by
chunk). ``esf_values`` turns a row into the values of ``esf_columns()`` (``esf_cells``: the same, with
the cells a writer wants); the writers are in ``reporting.exports.esf_files``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from django.db import connections
from django.db.models import Q
from django.utils.translation import gettext as _

from activities import cpr
from activities.models import ActivityPlan, Enrollment, Participant
from activities.models.participants import add_months
from companies.models import SME_CLASSES
from kompetence.exports import FORMULA_PREFIXES, Column, Kind
from reporting.periods import Period

CHUNK = 2000
FORMULA_CHARACTERS = "".join(FORMULA_PREFIXES)  # one character each: ``text[0] in`` tests them all
PLAN_AXIS = "type_mapping__eligible_activity__project__axis"


# --- The ESF participant file ----------------------------------------------------------------------------

ESF_FIELDS = (
    "pk",
    "partnership__name",
    "employer__cvr",
    "employer__name",
    "employer__size_class",
    "first_name",
    "last_name",
    "gender",
    "birth_date",
    "entry_date",
    "exit_date",
    "employment_status",
    "unemployed_months",
    "in_education_at_entry",
    "isced",
    "migrant",
    "disability",
    "other_disadvantage",
    "homeless",
    "rural",
    "consent_on",
    "privacy_notice_given",
    "exit_result_on",
    "result_in_education",
    "result_qualification",
    "result_employed",
    "result_job_searching",
    "result6_on",
    "result6_employed",
    "result6_improved",
    "anonymised_at",
)


def esf_participants(period: Period, *, user: Any, partnership: Any = None):
    """The participants of the file: those the user may see who took part in the period (``user=None``:
    all of them, for the ``export_esf`` command an operator runs on the server)."""
    base = Participant.objects.all() if user is None else Participant.objects.for_user(user)
    rows = base.filter(entry_date__lte=period.end).filter(Q(exit_date__isnull=True) | Q(exit_date__gte=period.start))
    if partnership is not None:
        rows = rows.filter(partnership_id=getattr(partnership, "pk", partnership))
    return rows.order_by("pk")


def _chunks(participants) -> Iterator[tuple[list[tuple], set[int], set[int]]]:
    """The participants' facts (``ESF_FIELDS`` in order) in chunks of ``CHUNK`` tuples, each with the
    ids of its participants enrolled under axis 1 and under axis 4 (``_with_axes`` adds them to the
    facts), from one small query per chunk (a correlated EXISTS per row made PostgreSQL compute every
    row before the first)."""
    rows = participants.values_list(*ESF_FIELDS).iterator(chunk_size=CHUNK)
    chunk = list(islice(rows, CHUNK))
    if not chunk:
        return
    # The activities of axis 1 and of axis 4, read once (a join to the plans for every chunk made
    # PostgreSQL hash all 19,000 of them each time at --scale 50).
    plans: tuple[set[int], set[int]] = (set(), set())
    every = ActivityPlan.objects.using(participants.db).order_by().values_list("pk", PLAN_AXIS)
    for plan, axis in _each_row(every):
        if axis == 1:
            plans[0].add(plan)
        elif axis == 4:
            plans[1].add(plan)
    while chunk:
        yield chunk, *_enrolled(chunk, plans, participants.db)
        chunk = list(islice(rows, CHUNK))


def _each_row(queryset) -> Iterator[tuple]:
    """The rows of a ``values_list`` of ids and integers (columns no database needs to convert), read
    from the cursor one at a time. A queryset holds all its tuples at once: the 19,000 plans' and each
    chunk's 2,500 enrolments' lists made Python's garbage collector run 72 times over the export
    instead of 48 (see ``esf_rows``)."""
    sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        yield from cursor


def _enrolled(chunk: list[tuple], plans: tuple[set[int], set[int]], using: str) -> tuple[set[int], set[int]]:
    """The chunk's participants enrolled in an activity of axis 1, and of axis 4."""
    # The chunk is in pk order: its enrolments are read by the pk range (one index range, where a list
    # of 2,000 ids cost more to send and plan than to answer); others in the range are not looked at.
    # Unordered: the enrolments' own ordering joined every plan to sort them (4 ms a chunk).
    enrolled = Enrollment.objects.using(using).filter(participant_id__gte=chunk[0][0], participant_id__lte=chunk[-1][0])
    plans_one, plans_four = plans
    one, four = set(), set()
    for participant, plan in _each_row(enrolled.order_by().values_list("participant_id", "plan_id")):
        if plan in plans_one:
            one.add(participant)
        if plan in plans_four:
            four.add(participant)
    return one, four


def _with_axes(row: tuple, one: set[int], four: set[int]) -> tuple:
    """The facts of ``esf_values``: ``ESF_FIELDS``, then axis 1 and axis 4 as booleans."""
    return (*row, row[0] in one, row[0] in four)


class _Cache(dict):
    """``cache[key]`` is ``make(key)``, worked out the first time the key is asked for: a file repeats
    the same few thousand dates, sizes and numbers (a hit costs one dict look-up)."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.make(key)
        return value


def _choice(choices) -> dict:
    return {value: str(label) for value, label in choices}


def esf_columns() -> list[Column]:
    """The file's columns, in the order ``esf_values`` gives the values."""
    D, T, C, N = Kind.DATE, Kind.TEXT, Kind.CODE, Kind.INTEGER
    # Yes/no columns are TEXT with the words translated once (a BOOLEAN column translates per cell).
    layout = [
        (_("Deltager-id"), C),
        (_("CPR-nummer"), C),
        (_("Fornavn"), T),
        (_("Efternavn"), T),
        (_("Køn"), T),
        (_("Fødselsdato"), D),
        (_("Alder ved start"), N),
        (_("Partnerskab"), T),
        (_("Arbejdsgiver (CVR)"), C),
        (_("Arbejdsgiver"), T),
        (_("Arbejdsgiver er SMV"), T),
        (_("Akse 1"), T),
        (_("Akse 4"), T),
        (_("Startdato"), D),
        (_("Ophørsdato"), D),
        (_("Beskæftigelsesstatus ved start"), T),
        (_("Ledig i måneder"), N),
        (_("Langtidsledig"), T),
        (_("I uddannelse ved start"), T),
        (_("Højeste fuldførte uddannelse (ISCED)"), N),
        (_("Migrant, udenlandsk baggrund eller minoritet"), T),
        (_("Handicap"), T),
        (_("Anden ugunstig stilling"), T),
        (_("Hjemløs eller udelukket fra boligmarkedet"), T),
        (_("Bor i landdistrikt"), T),
        (_("Samtykke givet den"), D),
        (_("Oplysning om databeskyttelse givet"), T),
        (_("Resultat ved ophør registreret den"), D),
        (_("Ophør: i uddannelse eller oplæring"), T),
        (_("Ophør: opnået kvalifikationer"), T),
        (_("Ophør: i beskæftigelse"), T),
        (_("Ophør: jobsøgende"), T),
        (_("Seks måneder efter ophør, forfalder"), D),
        (_("Seks måneder: registreret den"), D),
        (_("Seks måneder: i beskæftigelse"), T),
        (_("Seks måneder: forbedret situation"), T),
    ]
    return [Column(header, kind) for header, kind in layout]


# The columns typed by people (the rest are codes, dates, numbers and our own words): the only ones
# that can hold control characters, and where a formula could be smuggled in.
FREE_TEXT = (2, 3, 7, 8, 9)


def _same(value: Any) -> Any:
    return value


def esf_values(rows: Iterable[tuple[tuple, str]]) -> Iterator[list[Any]]:
    """Each ``(facts, CPR)`` of ``esf_rows``/``cpr_rows`` as the list of its values in column order
    (texts, dates, integers, None): one function call per row, not one per cell (the file is
    written at several times a plain ``csv.writer`` otherwise)."""
    return esf_cells(rows, word=_same, date=_same, number=_same)


def esf_cells(
    rows: Iterable[tuple[tuple, str]],
    *,
    word: Callable[[str], str],
    date: Callable[[Any], Any],
    number: Callable[[Any], Any],
) -> Iterator[list[Any]]:
    """``esf_values`` with the cells a writer wants: each of our own words (labels, yes/no) as
    ``word`` makes it, each date (or None) as ``date`` and each integer (or None) as ``number`` makes
    it, each worked out once per distinct value (the CSV's text for a date is written once, not
    46,000 times). The other cells (id, CPR, names, partnership, employer) are as ``esf_values``
    gives them."""
    blank = word("")

    def labels(choices: dict) -> _Cache:
        # ``labels[code]`` is the code's word, and blank for a code without one (and None).
        table = _Cache(lambda _code: blank)
        table.update((code, word(label)) for code, label in choices.items())
        return table

    gender = labels(_choice(Participant.Gender.choices))
    status = labels(_choice(Participant.EmploymentStatus.choices))
    answer = labels(
        {"ja": _("Ja"), "nej": _("Nej"), "oensker_ikke": _("Ønsker ikke at svare"), "ukendt": _("Ikke oplyst")}
    )
    words = {True: word(_("Ja")), False: word(_("Nej")), None: blank}
    sme = _Cache(lambda size: words[None if size in (None, "") else size in SME_CLASSES])
    # Birth dates are not kept: 15,000 different ones, each seen about three times, were 2 MB.
    dates = _Cache(date)
    numbers = _Cache(number)
    # The sixth month after the exit (the follow-up's due date), per exit date.
    due = _Cache(lambda exit_date: date(add_months(exit_date, 6) if exit_date else None))
    unemployed = Participant.EmploymentStatus.UNEMPLOYED
    for facts, cpr_number in rows:
        (
            pk,
            partnership,
            cvr,
            employer,
            size,
            first_name,
            last_name,
            sex,
            birth,
            entry,
            exit_date,
            employment,
            months,
            in_education,
            isced,
            migrant,
            disability,
            other_disadvantage,
            homeless,
            rural,
            consent_on,
            privacy_notice,
            exit_result_on,
            result_education,
            result_qualification,
            result_employed,
            result_job_searching,
            result6_on,
            result6_employed,
            result6_improved,
            _anonymised,
            axis1,
            axis4,
        ) = facts
        age = entry.year - birth.year - ((entry.month, entry.day) < (birth.month, birth.day))
        if employment != unemployed:
            long_term = False
        elif months is None:
            long_term = None
        else:
            long_term = months > 12 or (age < 25 and months > 6)
        yield [
            str(pk),
            cpr_number,
            first_name,
            last_name,
            gender[sex],
            date(birth),
            numbers[age],
            partnership,
            cvr,
            employer,
            sme[size],
            words[axis1],
            words[axis4],
            dates[entry],
            dates[exit_date],
            status[employment],
            numbers[months],
            words[long_term],
            words[in_education],
            numbers[isced],
            answer[migrant],
            answer[disability],
            answer[other_disadvantage],
            answer[homeless],
            answer[rural],
            dates[consent_on],
            words[privacy_notice],
            dates[exit_result_on],
            words[result_education],
            words[result_qualification],
            words[result_employed],
            words[result_job_searching],
            due[exit_date],
            dates[result6_on],
            words[result6_employed],
            words[result6_improved],
        ]


_BIRTH, _ANONYMISED = ESF_FIELDS.index("birth_date"), ESF_FIELDS.index("anonymised_at")


def masked_cpr(birth: Any) -> str:
    """``activities.cpr.masked`` (``ddmmyy-****``) at a third of its time: without strftime, which
    was 15,000 calls at --scale 50 (``tests/reporting/test_esf_csv.py`` compares every day)."""
    if birth is None:
        return ""
    return f"{birth.day:02}{birth.month:02}{birth.year % 100:02}-{cpr.MASK}"


def esf_rows(participants) -> Iterator[tuple[tuple, str]]:
    """``(facts, masked CPR)`` per participant, read in chunks (constant memory)."""
    masks = _Cache(masked_cpr)  # the same few thousand birth dates again and again
    for chunk, one, four in _chunks(participants):
        for row in chunk:
            # ``_with_axes`` written out (no call per row). One row at a time, not a list of the
            # chunk's: each new tuple dies once its row is written. A list kept 2,000 of them alive
            # per chunk, and with the plans' and enrolments' lists (``_each_row``) Python's garbage
            # collector ran 215 times over the file instead of the floor's 48, once over every
            # object of the process (0.1 s, a quarter of the CSV's time at --scale 50).
            pk = row[0]
            yield (*row, pk in one, pk in four), "" if row[_ANONYMISED] else masks[row[_BIRTH]]


def cpr_rows(participants, *, by: Any, reason: str, two_factor: bool, at: Any = None) -> Iterator[tuple[tuple, str]]:
    """``(facts, full CPR)`` per participant, each chunk's numbers recorded as exported before it is
    written. Call ``check_cpr_export`` first so a refusal is told before the file starts. ``at``: the
    moment the export was asked for, for a file built later (each number recorded once for it)."""
    from activities.services import participant_cpr_export

    facts: dict[int, tuple] = {}
    chunk: list[int] = []

    def flush() -> Iterator[tuple[tuple, str]]:
        people = Participant.objects.filter(pk__in=chunk).only("pk", "cpr_token", "anonymised_at").order_by("pk")
        exported = participant_cpr_export(participants=people, by=by, reason=reason, two_factor=two_factor, at=at)
        revealed = {person.pk: number for person, number in exported}
        for pk in chunk:
            yield facts[pk], revealed.get(pk, "")

    for rows, one, four in _chunks(participants):
        for row in rows:
            facts[row[0]] = _with_axes(row, one, four)
            chunk.append(row[0])
        yield from flush()
        facts.clear()
        chunk.clear()


def check_cpr_export(*, by: Any, reason: str, two_factor: bool) -> None:
    """Raise what ``participant_cpr_export`` raises (PermissionDenied, TwoFactorRequired, ValidationError
    for a missing reason) without recording anything."""
    from activities.services import participant_cpr_export

    list(participant_cpr_export(participants=[], by=by, reason=reason, two_factor=two_factor))
