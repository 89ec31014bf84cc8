"""People, organisations, partnerships and memberships."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.contrib.auth.models import AbstractUser, BaseUserManager, Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from partnerships.models.reference import Municipality, System
from partnerships.scoping import PartnershipScopedQuerySet


class Organisation(models.Model):
    """An employer of portal users: a jobcentre, a business-service office, a school, a VEU-centre."""

    class Kind(models.TextChoices):
        JOBCENTRE = "jobcentre", _("Jobcenter")
        BUSINESS_SERVICE = "business_service", _("Erhvervsservice")
        BUSINESS_HOUSE = "business_house", _("Erhvervshus")
        VEU_CENTRE = "veu_centre", _("VEU-center")
        SCHOOL = "school", _("Skole/uddannelsesinstitution")
        OPERATOR = "operator", _("Projektoperatør")
        OTHER = "other", _("Andet")

    name = models.CharField(_("navn"), max_length=200, unique=True)
    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("system"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("kommune"),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """The four roles; each is a Django group of the same name carrying its permissions."""

    CONSULTANT = "Konsulent", _("Konsulent")
    SECRETARIAT = "Sekretariat", _("Sekretariat")
    MANAGEMENT = "Projektledelse", _("Projektledelse")
    ADMINISTRATOR = "Administrator", _("Administrator")


# The grants of a partnership's lead (tovholder), whatever the person's role: what the apps register
# with ``registry.grant(PARTNERSHIP_LEAD, ...)`` is held by everyone who is the tovholder of a
# partnership (``partnerships.backends``); which partnership's objects is still decided per object.
PARTNERSHIP_LEAD = "tovholder"

# Roles that see every partnership's data. Everyone else sees only their own partnerships.
ROLES_SEEING_EVERYTHING = frozenset({Role.MANAGEMENT, Role.ADMINISTRATOR})


@dataclass(frozen=True)
class Grants:
    """What a user's role allows: the user's group names, and permissions as ``"app_label.codename"``."""

    groups: frozenset[str]
    group_permissions: frozenset[str]
    user_permissions: frozenset[str]

    @cached_property
    def all_permissions(self) -> frozenset[str]:
        return self.group_permissions | self.user_permissions

    @classmethod
    def load(cls, user_id: int) -> Grants:
        """One query for the groups, their permissions and the user's own permissions.

        Django's ModelBackend asks twice (the user's permissions, then the groups'), and the role
        needed a third query for the group names; every page asks all three for its navigation.
        Here a UNION of the two reads, told apart by the group name (NULL for the user's own
        permissions). The ORM writes its SQL once per process (``_grants_sql``), since it runs on
        every page: compiling the UNION each time cost the request more CPU than PostgreSQL spent
        answering it (see bench/README.md).
        """
        groups, group_permissions, user_permissions = set(), set(), set()
        with connection.cursor() as cursor:
            cursor.execute(_grants_sql(connection.vendor), [user_id, user_id])
            rows = cursor.fetchall()
        for group, app_label, codename in rows:
            if group is None:
                user_permissions.add(f"{app_label}.{codename}")
                continue
            groups.add(group)
            if codename is not None:  # a group without permissions still names a role
                group_permissions.add(f"{app_label}.{codename}")
        return cls(frozenset(groups), frozenset(group_permissions), frozenset(user_permissions))


@functools.cache
def _grants_sql(vendor: str) -> str:
    """The SQL of ``Grants.load``, written by the ORM once per process, with the user id as its two parameters."""
    via_groups = (
        Group.objects.filter(user=0)
        .order_by()
        .values_list("name", "permissions__content_type__app_label", "permissions__codename")
    )
    direct = (
        Permission.objects.filter(user=0)
        .order_by()
        .values_list(models.Value(None, output_field=models.CharField()), "content_type__app_label", "codename")
    )
    sql, params = via_groups.union(direct, all=True).query.sql_with_params()
    if tuple(params) != (0, 0):  # the user id must be the only parameters, or the SQL cannot be reused
        raise ImproperlyConfigured(f"Unexpected parameters in the grants query: {params!r}")
    return sql


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person using the portal. The e-mail address is the login; each person works for one organisation."""

    username = None
    email = models.EmailField(_("e-mail"), unique=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
    )
    job_title = models.CharField(_("stilling"), max_length=100, blank=True)
    phone = models.CharField(_("telefon"), max_length=20, blank=True)
    invited_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inviteret af"),
    )
    invited_at = models.DateTimeField(_("inviteret"), null=True, blank=True)
    # The person the organisation names to approve its consultants' weekly timesheets (the ESF wants
    # them approved by a superior); project management approves anyone's.
    approves_timesheets = models.BooleanField(
        _("godkender organisationens timesedler"),
        default=False,
        help_text=_("Må godkende og låse timesedler for organisationens medarbejdere."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["first_name", "last_name", "email"]
        verbose_name = _("bruger")
        verbose_name_plural = _("brugere")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @cached_property
    def grants(self) -> Grants:
        """The user's groups and permissions, read once (one query) and kept for this object's life.

        ``role`` and the permission checks (``partnerships.backends``) both read from it. Like
        Django's own permission cache, it is not refreshed: load the user again after changing
        the groups.
        """
        return Grants.load(self.pk)

    @cached_property
    def role(self) -> str | None:
        """The user's role: the first of the four role groups the user is in."""
        names = self.grants.groups
        for role in (Role.ADMINISTRATOR, Role.MANAGEMENT, Role.SECRETARIAT, Role.CONSULTANT):
            if role.value in names:
                return role.value
        return Role.ADMINISTRATOR.value if self.is_superuser else None

    @cached_property
    def leads_a_partnership(self) -> bool:
        """Whether the user is the tovholder of at least one partnership (one query, asked only when a
        permission the role lacks is one a lead holds)."""
        return Membership.objects.filter(user_id=self.pk, lead_role=Membership.LeadRole.COORDINATOR).exists()

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""

    @property
    def sees_everything(self) -> bool:
        return self.is_superuser or self.role in ROLES_SEEING_EVERYTHING

    @cached_property
    def partnership_ids(self) -> frozenset[int]:
        return frozenset(self.memberships.values_list("partnership_id", flat=True))


class PartnershipQuerySet(PartnershipScopedQuerySet):
    partnership_path = "pk"


class Partnership(models.Model):
    """A local coordinating partnership (LKS) of the three systems, run by a VEU-centre as secretariat."""

    name = models.CharField(_("navn"), max_length=150, unique=True)
    secretariat = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="secretariat_for",
        limit_choices_to={"kind": Organisation.Kind.VEU_CENTRE},
        verbose_name=_("sekretariat (VEU-center)"),
    )
    municipalities = models.ManyToManyField(
        Municipality,
        through="PartnershipMunicipality",
        related_name="partnerships",
        verbose_name=_("kommuner"),
    )
    members = models.ManyToManyField(
        User, through="Membership", related_name="partnerships", verbose_name=_("medlemmer")
    )
    description = models.TextField(_("beskrivelse"), blank=True, max_length=4000)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnerskab")
        verbose_name_plural = _("partnerskaber")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:detail", args=[self.pk])


class PartnershipMunicipality(models.Model):
    """The municipalities a partnership covers. A municipality belongs to at most one partnership,
    because a firm's municipality decides which partnership holds its case."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="coverage")
    municipality = models.OneToOneField(
        Municipality, on_delete=models.PROTECT, related_name="coverage", verbose_name=_("kommune")
    )

    class Meta:
        verbose_name = _("dækket kommune")
        verbose_name_plural = _("dækkede kommuner")

    def __str__(self) -> str:
        return f"{self.partnership}: {self.municipality}"


class MembershipQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"


class Membership(models.Model):
    """A user's seat in a partnership, in its steering group, its consultant group, or both."""

    class LeadRole(models.TextChoices):
        NONE = "", _("Medlem")
        CHAIR = "formand", _("Formand")
        COORDINATOR = "tovholder", _("Tovholder")

    class Group(models.TextChoices):
        STEERING = "styregruppe", _("Styregruppe")
        CONSULTANTS = "konsulentgruppe", _("Konsulentgruppe")
        BOTH = "begge", _("Styregruppe og konsulentgruppe")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("partnerskab")
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("bruger"))
    lead_role = models.CharField(_("rolle"), max_length=20, choices=LeadRole.choices, default="", blank=True)
    group = models.CharField(_("gruppe"), max_length=20, choices=Group.choices, default=Group.CONSULTANTS)
    joined_on = models.DateField(_("medlem siden"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["partnership__name", "user__first_name"]
        verbose_name = _("medlemskab")
        verbose_name_plural = _("medlemskaber")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "user"], name="membership_unique_user_per_partnership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} i {self.partnership}"
