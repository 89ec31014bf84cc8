"""Forms of the activities pages. They parse and show errors; every rule is in ``activities.services``
(the views put a service's errors next to the fields with ``kompetence.forms.apply_service_errors``).
Plain forms built from the models' fields (``fields_for``), so no model validation runs in a form."""
