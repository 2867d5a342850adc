"""The test provider's own pages: sign in (a plain form, no CSRF: test code on loopback only) and the knobs."""

import json

from django.contrib.auth import authenticate, login
from django.contrib.auth.models import User
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import validator


@csrf_exempt
def sign_in(request):
    if request.method != "POST":
        return HttpResponse("<form method=post><input name=username><input name=password type=password></form>")
    user = authenticate(request, username=request.POST.get("username"), password=request.POST.get("password"))
    if user is None:
        return HttpResponse("Wrong username or password", status=401)
    login(request, user)
    return HttpResponseRedirect(request.POST.get("next") or "/test/signed-in/")


def signed_in(request):
    return JsonResponse({"username": request.user.username if request.user.is_authenticated else None})


@csrf_exempt
@require_POST
def add_user(request):
    """{"username", "password", "claims"} -> the user, with the `sub` and `oid` their tokens will carry."""
    data = json.loads(request.body)
    user, _ = User.objects.get_or_create(username=data["username"], defaults={"email": data.get("email", "")})
    user.set_password(data["password"])
    user.save()
    validator.USER_CLAIMS[user.username] = data.get("claims", {})
    return JsonResponse({"sub": str(user.pk), "oid": validator.object_id(user.username)})


@csrf_exempt
@require_POST
def next_id_token(request):
    """Spoil the next ID token: {"aud": "..."} or {"expired": true}."""
    changes = json.loads(request.body)
    if set(changes) - {"aud", "expired"}:
        return HttpResponseBadRequest("Unknown knob")
    validator.set_next_id_token(changes)
    return JsonResponse(changes)
