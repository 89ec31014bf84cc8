"""Indicators of the outreach to firms: firms reached and visited (SMEs among them), visits, joint
visits with consultants from two or more systems, competence needs found and covered, the
partnerships' decisions about firms and their meetings.

The definitions, as the tests check them by hand:

* **reached**: a firm with at least one *completed* visit in the period, of any kind (a phone or
  online conversation counts); **visited**: one with a completed visit at the firm (not by phone);
  **SMEs reached**: reached firms whose EU size class is micro, small or medium.
* **visits**: completed visits dated in the period; **joint visits**: those whose consultants came
  from two or more of the three systems (erhvervsservice, beskæftigelse, uddannelse; the operator
  does not count), by each consultant's organisation.
* **needs found**: competence needs dated in the period (the date of the visit they were found at,
  else the day they were recorded); **needs covered**: those of them now covered.
* **decisions**: the partnerships' decisions about firms at meetings held in the period;
  **meetings**: partnership meetings held in the period (not cancelled, not only planned).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import SME_CLASSES, Company, CompetenceNeed, Decision, Visit
from partnerships.models import Meeting, System
from reporting.indicators.base import Indicator, Source
from reporting.periods import Period

THREE_SYSTEMS = (System.BUSINESS, System.EMPLOYMENT, System.EDUCATION)


def aware_range(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The period as [first moment, first moment after) in Copenhagen time, for datetime columns."""
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def _completed_visits(period: Period):
    return Visit.objects.filter(status=Visit.Status.COMPLETED, visit_date__range=(period.start, period.end))


def _firms_reached(period: Period):
    return Company.objects.filter(Exists(_completed_visits(period).filter(company=OuterRef("pk"))))


# The firms are counted through their completed visits (``Source.scan``), each firm once, so the
# conditions below are on the visits: as an EXISTS per firm, "visited" probed the visits 6,600 times
# for 2019 at --scale 50.
def _visited(_period: Period) -> Q:
    return ~Q(kind=Visit.Kind.REMOTE)


def _sme(_period: Period) -> Q:
    return Q(company__size_class__in=SME_CLASSES)


def joint_visit_ids(period: Period | None = None):
    """The ids of visits with consultants from two or more of the three systems (a subquery); with a
    period, only the completed visits in it are looked at (all 75,000 consultant rows of the programme
    were grouped for every count otherwise: 0.5 s at --scale 50)."""
    through = Visit.consultants.through
    rows = through.objects.filter(user__organisation__system__in=THREE_SYSTEMS)
    if period is not None:
        rows = rows.filter(visit__status=Visit.Status.COMPLETED, visit__visit_date__range=(period.start, period.end))
    return (
        rows.values("visit_id")
        .annotate(systems=Count("user__organisation__system", distinct=True))
        .filter(systems__gte=2)
        .values("visit_id")
    )


def _joint(period: Period) -> Q:
    return Q(pk__in=joint_visit_ids(period))


def _needs_found(period: Period):
    # The visits of the period as a subquery: joined, every visit of the programme was hashed (the
    # OR keeps the planner from filtering them first).
    start, end = aware_range(period)
    visits = Visit.objects.filter(visit_date__range=(period.start, period.end)).values("pk")
    return CompetenceNeed.objects.filter(
        Q(visit__in=visits) | Q(visit__isnull=True, created_at__gte=start, created_at__lt=end)
    )


def _covered(_period: Period) -> Q:
    return Q(status=CompetenceNeed.Status.COVERED)


def _decisions(period: Period):
    start, end = aware_range(period)
    return Decision.objects.filter(meeting__start__gte=start, meeting__start__lt=end)


def _meetings_held(period: Period):
    start, end = aware_range(period)
    return Meeting.objects.filter(
        status__in=(Meeting.Status.HELD, Meeting.Status.APPROVED), start__gte=start, start__lt=end
    )


FIRMS = Source("firms_reached", _firms_reached, "partnership_id", scan=_completed_visits, via="company")
VISITS = Source("visits", _completed_visits, "company__partnership_id")
NEEDS = Source("needs", _needs_found, "company__partnership_id")
DECISIONS = Source("decisions", _decisions, "company__partnership_id")
MEETINGS = Source("meetings", _meetings_held, "partnership_id")

GROUP = _("Virksomheder og partnerskaber")

INDICATORS = [
    Indicator("firms_reached", _("Virksomheder nået"), FIRMS, group=GROUP),
    Indicator("firms_visited", _("Virksomheder besøgt"), FIRMS, _visited, group=GROUP),
    Indicator("smes_reached", _("SMV'er nået"), FIRMS, _sme, group=GROUP),
    Indicator("visits", _("Virksomhedsbesøg"), VISITS, group=GROUP),
    Indicator("joint_visits", _("Fælles besøg med to eller flere systemer"), VISITS, _joint, group=GROUP),
    Indicator("needs_found", _("Kompetencebehov fundet"), NEEDS, group=GROUP),
    Indicator("needs_covered", _("Kompetencebehov dækket"), NEEDS, _covered, group=GROUP),
    Indicator("decisions", _("Beslutninger om virksomheder"), DECISIONS, group=GROUP),
    Indicator("meetings_held", _("Møder i partnerskaberne"), MEETINGS, group=GROUP),
]
