"""Pages of a firm's case: the firm page with its timeline, visits, competence needs, status, agenda."""

urlpatterns: list = []
