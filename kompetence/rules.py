"""Every view of the portal declares who may use it, with one decorator that also enforces it.

::

    @rule(perm="companies.view_company", objects={"pk": "companies.Company"})
    def company_detail(request, pk):
        company = access_company(request.user, pk)

The declaration is read back by the URL walker (``tests/walker.py``), which finds every URL pattern,
fills its parameters with real objects and checks each role against it; a view of our apps without a
rule fails the walk. So the rule is written once, where the view is, and cannot drift from what the
view does:

- ``public=True``: no login needed (the view is marked ``login_not_required`` for Django's
  ``LoginRequiredMiddleware``). Keep these few.
- no ``perm``: any logged-in, active user.
- ``perm="app.codename"``: the user's role must hold the permission, else 403. The check happens
  before any object is looked up, so a 403 says nothing about whether an object exists.
- ``objects={"kwarg": "app.Model"}``: the URL parameter ``kwarg`` is the primary key of a scoped
  ``app.Model``; ``"app.Model:field"`` when it is another unique field (a token, say). The view must
  fetch it through the app's ``access_*`` function, which gives 404 for what the user may not see. This
  part is a declaration only: it tells the walker what to put in the URL.
- ``tokens=("uidb64", "token")``: URL parameters that are credentials the view checks itself (an
  invitation link), not objects; the walker tries made-up values, which must be refused without an
  error.

Object-level rights beyond the role (e.g. only a partnership's coordinator may approve its minutes) are
decided by the ``access_*`` function, which raises ``PermissionDenied``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied


@dataclass(frozen=True)
class Rule:
    """Who may use a view, and which objects its URL parameters point at."""

    public: bool = False
    perm: str | None = None
    objects: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    tokens: tuple[str, ...] = ()

    def object_model(self, kwarg: str) -> tuple[str, str]:
        """``("app.Model", "field")`` of a URL parameter (``"pk"`` unless declared otherwise)."""
        label, _sep, lookup = self.objects[kwarg].partition(":")
        return label, lookup or "pk"


def rule(
    *,
    public: bool = False,
    perm: str | None = None,
    objects: Mapping[str, str] | None = None,
    tokens: tuple[str, ...] = (),
) -> Callable[[Callable], Callable]:
    """Declare and enforce who may use the decorated view (see the module docstring)."""
    if public and perm:
        raise ValueError("A public view cannot require a permission.")
    declared = Rule(public=public, perm=perm, objects=MappingProxyType(dict(objects or {})), tokens=tuple(tokens))

    def decorate(view: Callable) -> Callable:
        if public:
            wrapped = login_not_required(view)
        elif perm is None:
            wrapped = view
        else:

            @functools.wraps(view)
            def wrapped(request, *args, **kwargs):
                if not request.user.has_perm(perm):
                    raise PermissionDenied
                return view(request, *args, **kwargs)

        wrapped.access_rule = declared
        return wrapped

    return decorate


def rule_of(view: Callable) -> Rule | None:
    """The rule a view declared, or None."""
    return getattr(view, "access_rule", None)
