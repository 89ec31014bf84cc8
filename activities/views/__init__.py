"""Pages of the activities app. Every view declares its rule (``kompetence.rules.rule``) and gets its
objects through ``activities.access`` (or ``companies.access`` for the firm), so an object outside the
user's partnerships is a 404, for reading and for every POST alike."""
