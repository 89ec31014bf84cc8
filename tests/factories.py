"""factory_boy factories for people, organisations and partnerships.

Reference data (System, Municipality, IndustrySection) comes from the data migration
``partnerships/0002_reference_data``, so factories point at existing rows (for example
Municipality 751 Aarhus) instead of creating them. The four role groups are created by the
post_migrate handler in ``partnerships.roles``, so they exist in every test database too.
"""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from partnerships.models import (
    Membership,
    Municipality,
    Organisation,
    Partnership,
    PartnershipMunicipality,
    Role,
    System,
    User,
)

DEFAULT_PASSWORD = "korrekt-hest-batteri-klips"


class OrganisationFactory(factory.django.DjangoModelFactory):
    """A jobcentre in Aarhus unless told otherwise."""

    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    system = factory.LazyFunction(lambda: System.objects.get(code=System.EMPLOYMENT))
    kind = Organisation.Kind.JOBCENTRE
    municipality = factory.LazyFunction(lambda: Municipality.objects.get(code=751))

    class Params:
        veu_centre = factory.Trait(
            kind=Organisation.Kind.VEU_CENTRE,
            system=factory.LazyFunction(lambda: System.objects.get(code=System.EDUCATION)),
        )


class UserFactory(factory.django.DjangoModelFactory):
    """A user who can log in with ``DEFAULT_PASSWORD``; ``role=Role.CONSULTANT`` adds the role group."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"bruger{n}@example.dk")
    first_name = factory.Sequence(lambda n: f"Fornavn{n}")
    last_name = "Testesen"
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password(DEFAULT_PASSWORD)
    is_active = True

    @factory.post_generation
    def role(self, create: bool, extracted: Role | str | None, **kwargs) -> None:
        if not create or not extracted:
            return
        self.groups.add(Group.objects.get(name=Role(extracted).value))


class PartnershipFactory(factory.django.DjangoModelFactory):
    """A partnership run by a VEU-centre; ``municipalities=[751]`` sets which municipalities it covers."""

    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"LKS Test {n}")
    secretariat = factory.SubFactory(
        OrganisationFactory, name=factory.Sequence(lambda n: f"VEU-center {n}"), veu_centre=True
    )

    @factory.post_generation
    def municipalities(self, create: bool, extracted, **kwargs) -> None:
        """Pass municipality codes (or Municipality rows); each may belong to one partnership only."""
        if not create or not extracted:
            return
        for item in extracted:
            code = item.pk if isinstance(item, Municipality) else item
            PartnershipMunicipality.objects.create(partnership=self, municipality_id=code)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    partnership = factory.SubFactory(PartnershipFactory)
    user = factory.SubFactory(UserFactory, role=Role.CONSULTANT)
    group = Membership.Group.CONSULTANTS
