"""The ESF participant file's rows: one per participant taking part in the period (entered by its end
and not left before its start), every ESF field (``ESF.md``); the CPR number masked (``esf_rows``)
unless the caller passes rows from ``cpr_rows`` (``activities.reveal_cpr``, two factors and a reason:
each number recorded as exported through ``activities.services.participant_cpr_export``, chunk by
chunk). ``esf_values`` turns a row into the values of ``esf_columns()``; the writers are in
``reporting.exports.esf_files``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

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


def _chunks(participants) -> Iterator[list[tuple]]:
    """The participants' facts (``ESF_FIELDS`` in order, then axis 1 and axis 4 as booleans) in chunks of
    ``CHUNK`` tuples, the axes from one small query per chunk (a correlated EXISTS per row made
    PostgreSQL compute every row before the first)."""
    axes: dict[int, int] | None = None
    chunk: list[tuple] = []
    for row in participants.values_list(*ESF_FIELDS).iterator(chunk_size=CHUNK):
        if axes is None:
            # Each activity's axis, read once: joining the plans for every chunk made PostgreSQL hash
            # all 19,000 of them each time (35 ms a chunk at --scale 50).
            axes = dict(ActivityPlan.objects.values_list("pk", PLAN_AXIS))
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield _with_axes(chunk, axes)
            chunk = []
    if chunk:
        yield _with_axes(chunk, axes or {})


def _with_axes(chunk: list[tuple], axes: dict[int, int]) -> list[tuple]:
    # The chunk is in pk order: its enrolments are read by the pk range (one index range, where a list
    # of 2,000 ids cost more to send and plan than to answer); others in the range are not looked at.
    enrolled = Enrollment.objects.filter(participant_id__gte=chunk[0][0], participant_id__lte=chunk[-1][0])
    found = {(participant, axes.get(plan)) for participant, plan in enrolled.values_list("participant_id", "plan_id")}
    return [(*row, (row[0], 1) in found, (row[0], 4) in found) for row in chunk]


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


def esf_values(rows: Iterable[tuple[tuple, str]]) -> Iterator[list[Any]]:
    """Each ``(facts, CPR)`` of ``esf_rows``/``cpr_rows`` as the list of its values in column order
    (texts, dates, integers, None): one function call per row, not one per cell (the file is
    written at several times a plain ``csv.writer`` otherwise)."""
    gender = _choice(Participant.Gender.choices)
    status = _choice(Participant.EmploymentStatus.choices)
    answer = {"ja": _("Ja"), "nej": _("Nej"), "oensker_ikke": _("Ønsker ikke at svare"), "ukendt": _("Ikke oplyst")}
    words = {True: _("Ja"), False: _("Nej"), None: ""}
    unemployed = Participant.EmploymentStatus.UNEMPLOYED
    for facts, number in rows:
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
            number,
            first_name,
            last_name,
            gender.get(sex, ""),
            birth,
            age,
            partnership,
            cvr,
            employer,
            words[None if size in (None, "") else size in SME_CLASSES],
            words[axis1],
            words[axis4],
            entry,
            exit_date,
            status.get(employment, ""),
            months,
            words[long_term],
            words[in_education],
            isced,
            answer.get(migrant, ""),
            answer.get(disability, ""),
            answer.get(other_disadvantage, ""),
            answer.get(homeless, ""),
            answer.get(rural, ""),
            consent_on,
            words[privacy_notice],
            exit_result_on,
            words[result_education],
            words[result_qualification],
            words[result_employed],
            words[result_job_searching],
            add_months(exit_date, 6) if exit_date else None,
            result6_on,
            words[result6_employed],
            words[result6_improved],
        ]


_BIRTH, _ANONYMISED = ESF_FIELDS.index("birth_date"), ESF_FIELDS.index("anonymised_at")


def esf_rows(participants) -> Iterator[tuple[tuple, str]]:
    """``(facts, masked CPR)`` per participant, read in chunks (constant memory)."""
    masks: dict[Any, str] = {}  # the same few thousand birth dates again and again
    for chunk in _chunks(participants):
        for row in chunk:
            if row[_ANONYMISED]:
                yield row, ""
                continue
            birth = row[_BIRTH]
            mask = masks.get(birth)
            if mask is None:
                mask = masks[birth] = cpr.masked(birth)
            yield row, mask


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

    for rows in _chunks(participants):
        for row in rows:
            facts[row[0]] = row
            chunk.append(row[0])
        yield from flush()
        facts.clear()
        chunk.clear()


def check_cpr_export(*, by: Any, reason: str, two_factor: bool) -> None:
    """Raise what ``participant_cpr_export`` raises (PermissionDenied, TwoFactorRequired, ValidationError
    for a missing reason) without recording anything."""
    from activities.services import participant_cpr_export

    list(participant_cpr_export(participants=[], by=by, reason=reason, two_factor=two_factor))
