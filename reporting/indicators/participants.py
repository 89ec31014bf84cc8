"""Participants: the ESF common indicators of 2014-2020 (CO/CR, Regulation 1304/2013 Annex I) and of
ESF+ (EECO/EECR, Regulation 2021/1057 Annex I), from the facts recorded per participant (ESF.md).

Every indicator is counted by gender too: ``compute(..., breakdown={"participants_entered": "gender"})``.

Which participants (the sources):

* **outputs** (CO, EECO): participants whose **entry date** is in the period, with their facts at entry;
  the age is the age on the entry day.
* **immediate results** (CR01-CR05, EECR01-04): participants whose **exit date** is in the period.
* **longer-term results** (CR06-CR09, EECR05-06): participants whose **six months after exit** fall in
  the period (exit date moved six months on, as ``Participant.result6_due``).
* **axis 4 (objective 4b)**: participants with a formally qualifying training line (``qualifying``) on an
  axis-4 activity that **started** in the period (enrolled, completed or dropped since: it began) or
  was **completed** with its end in the period.

By axis: a participant counts under an axis with an enrolment on an activity of that axis (a person in
both counts under both, once in the total).

Decisions where the guidance leaves room: CO09 (ISCED 1-2) also counts ISCED 0, as the Commission's
guidance asks ("participants with ISCED 0 are counted here"); ESF+'s bands are 0-2, 3-4, 5-8.
"Declined" (ønsker ikke at svare) is never a yes. The one recorded field "migrant, foreign background
or minority" cannot be split into ESF+'s EECO13-15: it is reported once as "EECO13-15 (samlet)".
Long-term unemployed: over 12 months, over 6 months under 25. "Disadvantaged" (CR05, CR09): migrant,
disability, other disadvantage or homeless answered yes.
"""

from __future__ import annotations

from django.db.models import BooleanField, Case, Expression, F, IntegerField, Q, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.utils.translation import gettext_lazy as _

from activities.models import Enrollment, Participant, TrainingLine
from activities.models.participants import YesNoDeclined, YesNoUnknown, add_months
from partnerships.models import Axis
from reporting.indicators.base import Indicator, Source
from reporting.periods import Period

P = Participant
YES = YesNoDeclined.YES
AXIS_PATH = "plan__type_mapping__eligible_activity__project__axis"


class _Age(Expression):
    """Whether the participant was ``years`` old or more on the entry day (``at_least``), or younger;
    a birthday on the entry day counts (``Participant.age_on``).

    On PostgreSQL as ``birth_date <= entry_date - N years`` (or ``>``), two dates compared per row:
    the years between written as ``EXTRACT``s (numeric arithmetic, six per condition, nine conditions)
    were half of the entered participants' query at --scale 50. The two agree: "at least N" is
    (entry year - N, month, day) >= the birth date, and where PostgreSQL moves 29 February back to
    the 28th, only a 29 February birth date in that year (which does not exist) would compare
    differently. Elsewhere (SQLite) the whole years are counted as written."""

    output_field = BooleanField()

    def __init__(self, years: int, *, at_least: bool) -> None:
        super().__init__()
        self.years, self.at_least = years, at_least

    def __repr__(self) -> str:
        return f"_Age({self.years}, at_least={self.at_least})"

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        entry, birth = F("entry_date"), F("birth_date")
        entry_day = ExtractMonth(entry) * 100 + ExtractDay(entry)
        birthday = ExtractMonth(birth) * 100 + ExtractDay(birth)
        years = (
            ExtractYear(entry)
            - ExtractYear(birth)
            - Case(
                # before the birthday: (month, day) of the entry day less than the birth date's
                When(LessThan(entry_day, birthday), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        counted = GreaterThanOrEqual(years, Value(self.years)) if self.at_least else LessThan(years, Value(self.years))
        resolved = self.copy()
        resolved.is_summary = summarize
        resolved.counted, resolved.birth, resolved.entry = (
            part.resolve_expression(query, allow_joins, reuse, summarize) for part in (counted, birth, entry)
        )
        return resolved

    def get_source_expressions(self):
        return [getattr(self, name, None) for name in ("counted", "birth", "entry")]

    def set_source_expressions(self, exprs):
        self.counted, self.birth, self.entry = exprs

    def as_sql(self, compiler, connection):
        return compiler.compile(self.counted)

    def as_postgresql(self, compiler, connection):
        birth_sql, birth_params = compiler.compile(self.birth)
        entry_sql, entry_params = compiler.compile(self.entry)
        op = "<=" if self.at_least else ">"
        return (
            f"{birth_sql} {op} ({entry_sql} - make_interval(years => %s))::date",
            (*birth_params, *entry_params, self.years),
        )


def age_at_least(years: int) -> Q:
    return Q(_Age(years, at_least=True))


def age_below(years: int) -> Q:
    return Q(_Age(years, at_least=False))


def _entered(period: Period):
    return P.objects.filter(entry_date__range=(period.start, period.end))


def _left(period: Period):
    return P.objects.filter(exit_date__range=(period.start, period.end))


def _after_six_months(period: Period):
    return P.objects.filter(exit_date__range=(add_months(period.start, -6), add_months(period.end, -6)))


def _qualifying_lines(period: Period):
    return TrainingLine.objects.filter(qualifying=True, **{f"enrollment__{AXIS_PATH}": Axis.AXIS_4})


_STARTED = (TrainingLine.Status.ENROLLED, TrainingLine.Status.COMPLETED, TrainingLine.Status.DROPPED)


def _started_line(period: Period) -> Q:
    return Q(start_date__range=(period.start, period.end), status__in=_STARTED)


def _completed_line(period: Period) -> Q:
    return Q(status=TrainingLine.Status.COMPLETED, end_date__range=(period.start, period.end))


def _qualifying_scan(period: Period):
    """The qualifying axis-4 lines that started or were completed in the period: the participants of
    axis 4 are counted through them, each once, in one pass (``Source.scan``). As ``pk IN (subquery)``
    conditions on the participants, the same two subqueries ran three times (85 ms of a 380 ms count at
    --scale 50); a correlated EXISTS per participant took seconds."""
    return _qualifying_lines(period).filter(_started_line(period) | _completed_line(period))


def _qualifying(period: Period):
    return P.objects.filter(pk__in=_qualifying_scan(period).values("enrollment__participant"))


ENTERED = Source("participants_entered", _entered, "partnership_id", personal=True)


def _enrolments_entered(period: Period):
    return Enrollment.objects.filter(participant__entry_date__range=(period.start, period.end))


# By axis, the participants who entered are counted through their enrolments, each once: as two
# ``pk IN (enrolments on the axis)`` conditions on the participants, every enrolment and activity of
# the programme was hashed twice (30 of the 42 ms of the entered participants' query at --scale 50).
ENTERED_BY_AXIS = Source(
    "participants_entered_by_axis",
    _entered,
    "partnership_id",
    personal=True,
    scan=_enrolments_entered,
    via="participant",
    breakdown_as=ENTERED.name,
)
LEFT = Source("participants_left", _left, "partnership_id", personal=True)
SIX_MONTHS = Source("participants_six_months", _after_six_months, "partnership_id", personal=True)
QUALIFYING = Source(
    "participants_qualifying",
    _qualifying,
    "partnership_id",
    personal=True,
    scan=_qualifying_scan,
    via="enrollment__participant",
)


def q(condition: Q):
    """A condition that does not depend on the period."""
    return lambda _period: condition


def _on_axis(axis: int) -> Q:
    """On an enrolment of ``ENTERED_BY_AXIS``: an activity of the axis."""
    return Q(**{AXIS_PATH: axis})


UNEMPLOYED = Q(employment_status=P.EmploymentStatus.UNEMPLOYED)
LONG_TERM = UNEMPLOYED & (Q(unemployed_months__gt=12) | (age_below(25) & Q(unemployed_months__gt=6)))
INACTIVE = Q(employment_status=P.EmploymentStatus.INACTIVE)
INACTIVE_NOT_IN_EDUCATION = INACTIVE & Q(in_education_at_entry=False)
EMPLOYED = Q(employment_status=P.EmploymentStatus.EMPLOYED)
OVER_54 = age_at_least(55)
DISADVANTAGED = Q(migrant=YES) | Q(disability=YES) | Q(other_disadvantage=YES) | Q(homeless=YesNoUnknown.YES)
CR01 = INACTIVE & Q(result_job_searching=True)
CR02 = Q(result_in_education=True)
CR03 = Q(result_qualification=True)
CR04 = Q(result_employed=True)

OUTPUTS = _("Deltagere ved start (ESF 2014-2020)")
OUTPUTS_PLUS = _("Deltagere ved start (ESF+)")
RESULTS = _("Resultater ved ophør")
RESULTS6 = _("Resultater seks måneder efter ophør")
AXIS4 = _("Akse 4: erhvervskompetencegivende uddannelse")


def _i(code: str, label, source: Source, condition: Q | None, group, **kwargs) -> Indicator:
    return Indicator(code, label, source, q(condition) if condition is not None else None, group=group, **kwargs)


INDICATORS = [
    _i("participants", _("Deltagere i alt"), ENTERED, None, OUTPUTS),
    Indicator(
        "participants_axis1",
        _("Deltagere under akse 1"),
        ENTERED_BY_AXIS,
        lambda _p: _on_axis(Axis.AXIS_1),
        group=OUTPUTS,
    ),
    Indicator(
        "participants_axis4",
        _("Deltagere under akse 4"),
        ENTERED_BY_AXIS,
        lambda _p: _on_axis(Axis.AXIS_4),
        group=OUTPUTS,
    ),
    _i("co01", _("CO01 Ledige, inkl. langtidsledige"), ENTERED, UNEMPLOYED, OUTPUTS),
    _i("co02", _("CO02 Langtidsledige"), ENTERED, LONG_TERM, OUTPUTS),
    _i("co03", _("CO03 Uden for arbejdsstyrken"), ENTERED, INACTIVE, OUTPUTS),
    _i("co04", _("CO04 Uden for arbejdsstyrken og ikke i uddannelse"), ENTERED, INACTIVE_NOT_IN_EDUCATION, OUTPUTS),
    _i("co05", _("CO05 Beskæftigede, inkl. selvstændige"), ENTERED, EMPLOYED, OUTPUTS),
    _i("co06", _("CO06 Under 25 år"), ENTERED, age_below(25), OUTPUTS),
    _i("co07", _("CO07 Over 54 år"), ENTERED, OVER_54, OUTPUTS),
    _i(
        "co08",
        _("CO08 Over 54 år, ledige eller uden for arbejdsstyrken og ikke i uddannelse"),
        ENTERED,
        OVER_54 & (UNEMPLOYED | INACTIVE_NOT_IN_EDUCATION),
        OUTPUTS,
    ),
    _i("co09", _("CO09 Grundskole (ISCED 1-2)"), ENTERED, Q(isced__lte=2), OUTPUTS),
    _i("co10", _("CO10 Gymnasial eller erhvervsfaglig uddannelse (ISCED 3-4)"), ENTERED, Q(isced__in=(3, 4)), OUTPUTS),
    _i("co11", _("CO11 Videregående uddannelse (ISCED 5-8)"), ENTERED, Q(isced__gte=5), OUTPUTS),
    _i("co15", _("CO15 Migranter, udenlandsk baggrund, minoriteter"), ENTERED, Q(migrant=YES), OUTPUTS),
    _i("co16", _("CO16 Handicap"), ENTERED, Q(disability=YES), OUTPUTS),
    _i("co17", _("CO17 Andre dårligt stillede"), ENTERED, Q(other_disadvantage=YES), OUTPUTS),
    _i("co18", _("CO18 Hjemløse eller udelukket fra boligmarkedet"), ENTERED, Q(homeless=YesNoUnknown.YES), OUTPUTS),
    _i("co19", _("CO19 Fra landdistrikter"), ENTERED, Q(rural=YesNoUnknown.YES), OUTPUTS),
    # ESF+ (2021/1057): the same facts, other bands.
    _i("eeco01", _("EECO01 Ledige, inkl. langtidsledige"), ENTERED, UNEMPLOYED, OUTPUTS_PLUS, targetable=False),
    _i("eeco02", _("EECO02 Langtidsledige"), ENTERED, LONG_TERM, OUTPUTS_PLUS, targetable=False),
    _i("eeco03", _("EECO03 Uden for arbejdsstyrken"), ENTERED, INACTIVE, OUTPUTS_PLUS, targetable=False),
    _i("eeco04", _("EECO04 Beskæftigede, inkl. selvstændige"), ENTERED, EMPLOYED, OUTPUTS_PLUS, targetable=False),
    _i("eeco05", _("EECO05 Under 18 år"), ENTERED, age_below(18), OUTPUTS_PLUS, targetable=False),
    _i("eeco06", _("EECO06 18-29 år"), ENTERED, age_at_least(18) & age_below(30), OUTPUTS_PLUS, targetable=False),
    _i("eeco07", _("EECO07 55 år og derover"), ENTERED, OVER_54, OUTPUTS_PLUS, targetable=False),
    _i("eeco08", _("EECO08 ISCED 0-2"), ENTERED, Q(isced__lte=2), OUTPUTS_PLUS, targetable=False),
    _i("eeco09", _("EECO09 ISCED 3-4"), ENTERED, Q(isced__in=(3, 4)), OUTPUTS_PLUS, targetable=False),
    _i("eeco10", _("EECO10 ISCED 5-8"), ENTERED, Q(isced__gte=5), OUTPUTS_PLUS, targetable=False),
    _i("eeco12", _("EECO12 Handicap"), ENTERED, Q(disability=YES), OUTPUTS_PLUS, targetable=False),
    _i(
        "eeco13_15",
        _("EECO13-15 (samlet) Tredjelandsstatsborgere, udenlandsk baggrund, minoriteter"),
        ENTERED,
        Q(migrant=YES),
        OUTPUTS_PLUS,
        targetable=False,
    ),
    _i(
        "eeco16",
        _("EECO16 Hjemløse eller udelukket fra boligmarkedet"),
        ENTERED,
        Q(homeless=YesNoUnknown.YES),
        OUTPUTS_PLUS,
        targetable=False,
    ),
    _i("eeco17", _("EECO17 Fra landdistrikter"), ENTERED, Q(rural=YesNoUnknown.YES), OUTPUTS_PLUS, targetable=False),
    # Immediate results (within four weeks of exit).
    _i("participants_left", _("Deltagere ophørt"), LEFT, None, RESULTS),
    _i("cr01", _("CR01 Uden for arbejdsstyrken, jobsøgende ved ophør"), LEFT, CR01, RESULTS),
    _i("cr02", _("CR02 I uddannelse eller oplæring ved ophør"), LEFT, CR02, RESULTS),
    _i("cr03", _("CR03 Har opnået kvalifikationer ved ophør"), LEFT, CR03, RESULTS),
    _i("cr04", _("CR04 I beskæftigelse ved ophør"), LEFT, CR04, RESULTS),
    _i(
        "cr05",
        _("CR05 Dårligt stillede: jobsøgende, i uddannelse, kvalifikationer eller job ved ophør"),
        LEFT,
        DISADVANTAGED & (CR01 | CR02 | CR03 | CR04),
        RESULTS,
    ),
    _i("eecr01", _("EECR01 Jobsøgende ved ophør"), LEFT, Q(result_job_searching=True), RESULTS, targetable=False),
    _i("eecr02", _("EECR02 I uddannelse eller oplæring ved ophør"), LEFT, CR02, RESULTS, targetable=False),
    _i("eecr03", _("EECR03 Har opnået kvalifikationer ved ophør"), LEFT, CR03, RESULTS, targetable=False),
    _i("eecr04", _("EECR04 I beskæftigelse ved ophør"), LEFT, CR04, RESULTS, targetable=False),
    # Longer-term results (six months after exit).
    _i("participants_six_months", _("Deltagere seks måneder efter ophør"), SIX_MONTHS, None, RESULTS6),
    _i("cr06", _("CR06 I beskæftigelse seks måneder efter ophør"), SIX_MONTHS, Q(result6_employed=True), RESULTS6),
    _i(
        "cr07",
        _("CR07 Forbedret situation på arbejdsmarkedet seks måneder efter ophør"),
        SIX_MONTHS,
        EMPLOYED & Q(result6_improved=True),
        RESULTS6,
    ),
    _i(
        "cr08",
        _("CR08 Over 54 år og i beskæftigelse seks måneder efter ophør"),
        SIX_MONTHS,
        OVER_54 & Q(result6_employed=True),
        RESULTS6,
    ),
    _i(
        "cr09",
        _("CR09 Dårligt stillede i beskæftigelse seks måneder efter ophør"),
        SIX_MONTHS,
        DISADVANTAGED & Q(result6_employed=True),
        RESULTS6,
    ),
    _i(
        "eecr05",
        _("EECR05 I beskæftigelse seks måneder efter ophør"),
        SIX_MONTHS,
        Q(result6_employed=True),
        RESULTS6,
        targetable=False,
    ),
    _i(
        "eecr06",
        _("EECR06 Forbedret situation på arbejdsmarkedet seks måneder efter ophør"),
        SIX_MONTHS,
        Q(result6_improved=True),
        RESULTS6,
        targetable=False,
    ),
    # Axis 4, objective 4b.
    Indicator(
        "qualifying_started",
        _("Deltagere, der er startet på en erhvervskompetencegivende uddannelse"),
        QUALIFYING,
        _started_line,
        group=AXIS4,
    ),
    Indicator(
        "qualifying_completed",
        _("Deltagere, der har gennemført en erhvervskompetencegivende uddannelse"),
        QUALIFYING,
        _completed_line,
        group=AXIS4,
    ),
]
