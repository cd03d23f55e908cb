from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from commonground.accounts import selectors, services
from commonground.accounts.forms import TokenForm
from commonground.core.errors import ApplicationError
from commonground.core.forms import add_application_error
from commonground.core.http import member_of


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.api_token_create(
                user=member_of(request), name=form.cleaned_data["name"]
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "issued": issued,
            "tokens": selectors.api_token_list(user=member_of(request)),
        },
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        services.api_token_revoke(user=member_of(request), token_id=token_id)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Token revoked.")
    return redirect("accounts:tokens")
