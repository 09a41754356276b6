"""The decorator every staff view uses (the staff start page is vikno/workplace)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404


def staff_required(*roles: str):
    """Logged-in staff (the session middleware enforces the second factor). With ``roles``, other
    roles get 404, so the page's existence does not leak to them."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if roles and request.user.role not in roles:
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
