"""Sign-in (API key or one-time link), sign-out and the workspace's front door."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .auth import key_for_raw, redeem_signin_link, safe_next, session_project, sign_in, sign_out


def home(request):
    """`/`: the workspace when signed in, else the sign-in page."""
    if session_project(request) is None:
        return redirect("/signin/")
    return redirect("/agents/")


def signin(request):
    """Sign in with a project API key (kept in the session as its key id)."""
    error = ""
    if request.method == "POST":
        key = key_for_raw(request.POST.get("api_key", ""))
        if key is not None:
            sign_in(request, key)
            return redirect(safe_next(request, "/agents/"))
        error = "This API key is unknown or revoked." if request.POST.get("api_key", "").strip() else \
            "Paste an API key (printed by `make run` or `scenarist project create`)."
    return render(request, "pages/signin.html", {"error": error, "next": safe_next(request, "")},
                  status=400 if error else 200)


def signin_link(request, token: str):
    """A one-time link printed by `make run`: signs in with its key, then is spent."""
    key = redeem_signin_link(token)
    if key is None:
        return render(request, "pages/signin.html",
                      {"error": "This sign-in link was already used or has expired. Restart `make run` for a new "
                       "one, or paste an API key."}, status=400)
    sign_in(request, key)
    return redirect("/agents/")


@require_POST
def logout(request):
    """Forget the session."""
    sign_out(request)
    return redirect("/signin/")
