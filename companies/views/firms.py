"""Pages of the firm register: lists, search, register and edit a firm, contacts, P-numbers, consent, export."""

urlpatterns: list = []
