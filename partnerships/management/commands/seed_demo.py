"""manage.py seed_demo: load the demo data of every app, in dependency order.

Each app registers a demo step (``kompetence.registry.add_demo_step``) with ``seed(*, rng, scale)``,
``reset()`` and ``summary(result)``. Running the command twice gives the same data; ``--reset``
starts over.
"""

from __future__ import annotations

import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kompetence import registry


class Command(BaseCommand):
    help = "Opret demodata (idempotent). --reset sletter demodata først."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Slet demodata og opret dem igen.")
        parser.add_argument("--force", action="store_true", help="Tillad --reset i produktionstilstand.")
        parser.add_argument(
            "--scale", type=int, default=1, help="Gang virksomheder, besøg og behov med N (til benchmarks)."
        )

    def handle(self, *args, reset: bool, scale: int, **options):
        if reset and settings.PRODUCTION and not options["force"]:
            raise CommandError("--reset sletter data. Brug --force, hvis det virkelig er meningen (DJANGO_DEBUG=0).")
        steps = registry.demo_steps()
        with transaction.atomic():
            if reset:
                for step in reversed(steps):
                    step.reset()
                self.stdout.write("Demodata slettet.")
            for step in steps:
                # One generator per app, so adding data to one app never changes another's.
                result = step.seed(rng=random.Random(f"kompetenceportalen-{step.name}.demo"), scale=scale)
                self.stdout.write(f"{step.name}: {step.summary(result)}")
        from partnerships.demo import DEMO_LOGINS, DEMO_PASSWORD

        self.stdout.write(self.style.SUCCESS(f"\nDemo-logins (adgangskode: {DEMO_PASSWORD}):"))
        for email, first, last, role, org, *_ in DEMO_LOGINS:
            self.stdout.write(f"  {role.label:<15} {email:<22} {first} {last}, {org}")
