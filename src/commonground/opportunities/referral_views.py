"""The referrals page: made, received (agree or decline), for my opportunities, requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from commonground.core.errors import ApplicationError
from commonground.core.http import member_of
from commonground.opportunities import services
from commonground.opportunities.selectors import referral_lists_for
from commonground.opportunities.services.referrals import POSTER_MOVES
from commonground.profiles.selectors import Viewer


@login_required
def referrals(request: HttpRequest) -> HttpResponse:
    lists = referral_lists_for(viewer=Viewer.for_user(request.user))
    return render(request, "opportunities/referrals.html", {"lists": lists, "moves": POSTER_MOVES})


_ACTIONS = {
    "agree": "Thanks: the poster can now see your referral.",
    "decline": "Declined. Nobody else will see it.",
    "withdraw": "Referral withdrawn.",
    "status": "Referral updated.",
}


@login_required
@require_POST
def referral_action(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    if action not in _ACTIONS:
        raise Http404
    user = member_of(request)
    try:
        if action in ("agree", "decline"):
            services.referral_candidate_answer(
                user=user, public_id=public_id, agree=action == "agree"
            )
        elif action == "withdraw":
            services.referral_withdraw(user=user, public_id=public_id)
        else:
            services.referral_status_set(
                user=user, public_id=public_id, status=request.POST.get("status", "")[:20]
            )
    except ApplicationError as error:
        if error.status == 404:
            raise Http404 from None
        messages.error(request, error.message)
    else:
        messages.success(request, _ACTIONS[action])
    return redirect("opportunities:referrals")


@login_required
@require_POST
def request_decline(request: HttpRequest, public_id: str) -> HttpResponse:
    services.referral_request_decline(user=member_of(request), public_id=public_id)
    messages.success(request, "Request declined.")
    return redirect("opportunities:referrals")
