"""The front desk's pages: log in, register and log out with cookie-held tokens,
and the account page, where a person sees and ends their logins.

The admin's login page is here too, under the same limits on guessing.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rest_framework.exceptions import ParseError, UnsupportedMediaType
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError

from accounts import selectors, services
from accounts.authentication import RevocationCheckFailed
from accounts.cookies import (
    delete_token_cookies,
    read_access_cookie,
    read_refresh_cookie,
    set_token_cookies,
)
from accounts.devices import client_address, describe_device
from accounts.exceptions import InactiveAccount, UsernameTaken
from accounts.forms import LoginForm, PasswordChangeForm, RegistrationForm
from accounts.middleware import send_on
from accounts.models import Login, LoginState, User
from accounts.origins import from_this_site
from accounts.revocation import (
    FAMILY_CLAIM,
    RevocationListUnavailable,
    instant_revocation_enabled,
)
from accounts.selectors import ENDED_LOGINS_SHOWN_FOR
from accounts.throttling import ThrottleUnavailable
from accounts.tokens import TokenUser
from accounts.views import (
    WRONG_CREDENTIALS,
    PasswordView,
    RegisterView,
    TokenObtainView,
)

# A moment as the account page shows it: "1 Dec 2026, 20:19".
MOMENT = "j M Y, H:i"


def safe_next(request: HttpRequest, default: str = "/") -> str:
    """The ``next`` address when it is a path on this site; ``default`` otherwise.

    Only a path from the root will do: ``redirect()`` takes a bare word such as
    ``home`` for the name of a route, and fails on one that names none.
    """
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    return candidate if is_safe_path(request, candidate) else default


def is_safe_path(request: HttpRequest, candidate: str) -> bool:
    return candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    )


def throttle_delay(
    request: HttpRequest, view_class: type[APIView], user: TokenUser | None = None
) -> float | None:
    """Run an API view's throttles on a page's request: seconds to wait, or None.

    The page and its API twin count attempts in the same buckets, so switching
    between them buys no extra guesses. ``user`` is who the page's card names,
    for a throttle that counts per person. Raises ``ThrottleUnavailable`` when the
    attempts cannot be counted.
    """
    api_request = Request(request, parsers=[FormParser(), MultiPartParser()])
    if user is not None:
        api_request.user = user
    view = view_class()
    delays = []
    for throttle in (throttle_class() for throttle_class in view.throttle_classes):
        try:
            allowed = throttle.allow_request(api_request, view)
        except (ParseError, UnsupportedMediaType):
            # A body that is no form (JSON, say) names no username to count; the
            # attempt still counts against the address.
            continue
        if not allowed:
            delays.append(throttle.wait() or 0)
    return max(delays) if delays else None


def too_many_attempts(
    request: HttpRequest, template: str, context: dict[str, Any], delay: float
) -> HttpResponse:
    seconds = max(1, round(delay))
    response = render(
        request, template, {**context, "retry_after": seconds}, status=429
    )
    response["Retry-After"] = str(seconds)
    return response


def cannot_count(
    request: HttpRequest, template: str, context: dict[str, Any]
) -> HttpResponse:
    """The page again, saying that no attempt is taken while none can be counted."""
    return render(request, template, {**context, "cannot_count": True}, status=503)


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """Check a password as ``POST /api/auth/token/`` does; keep the pair in cookies."""
    next_url = safe_next(request)
    form = LoginForm(request.POST or None, request=request)
    context = {
        "form": form,
        "next": next_url,
        # A card that ran out, not renewed because another site's link led here.
        "may_renew": read_access_cookie(request) is not None
        and not request.token_user.is_authenticated,
    }
    if request.method == "POST":
        try:
            delay = throttle_delay(request, TokenObtainView)
        except ThrottleUnavailable:
            return cannot_count(request, "accounts/login.html", context)
        if delay is not None:
            return too_many_attempts(request, "accounts/login.html", context, delay)
        if form.is_valid():
            try:
                pair = services.log_in(
                    user=form.user,
                    device=describe_device(request),
                    address=client_address(request),
                )
            except InactiveAccount:
                # Disabled or deleted since the password was checked.
                form.add_error(None, WRONG_CREDENTIALS)
            else:
                response = redirect(next_url)
                set_token_cookies(response, pair)
                return response
    return render(request, "accounts/login.html", context)


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Create a customer with the API's rules, then log them in."""
    next_url = safe_next(request, default="/restaurants/")
    form = RegistrationForm(request.POST or None)
    context = {"form": form, "next": next_url}
    if request.method == "POST":
        try:
            delay = throttle_delay(request, RegisterView)
        except ThrottleUnavailable:
            return cannot_count(request, "accounts/register.html", context)
        if delay is not None:
            return too_many_attempts(request, "accounts/register.html", context, delay)
        if form.is_valid():
            try:
                user = services.register_customer(**form.cleaned_data)
            except UsernameTaken:
                form.add_error("username", "A user with that username already exists.")
            else:
                try:
                    pair = services.log_in(
                        user=user,
                        device=describe_device(request),
                        address=client_address(request),
                    )
                except InactiveAccount:
                    return redirect("login-page")  # deleted at once: log in again
                response = redirect(next_url)
                set_token_cookies(response, pair)
                return response
    return render(request, "accounts/register.html", context)


@require_http_methods(["GET", "POST"])
def logout(request: HttpRequest) -> HttpResponse:
    """Blacklist the browser's refresh token and take both tokens out of it.

    With instant revocation on and its list unreachable, the access token cannot
    be ended at once: the browser is logged out all the same, and the page says
    how long the access token lives on.

    Only a POST (with the CSRF token) logs out; a GET, such as the browsable API's
    "Log out" link, answers a page with the button that does.
    """
    if request.method == "GET":
        return render(request, "accounts/logout.html", {"next": safe_next(request)})
    raw_refresh = read_refresh_cookie(request)
    response = redirect(safe_next(request))
    if raw_refresh is not None:
        try:
            services.revoke_refresh_token(raw_token=raw_refresh)
        except (TokenError, InactiveAccount):
            pass  # a refresh token that is already unusable leaves nothing to end
        except RevocationListUnavailable:
            lifetime = settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]
            response = render(
                request,
                "accounts/logged_out.html",
                {"access_minutes": max(1, round(lifetime.total_seconds() / 60))},
                status=503,
            )
    delete_token_cookies(response)
    return response


@csrf_exempt
def renew(request: HttpRequest) -> HttpResponse:
    """Trade the refresh cookie for a new pair, then send the request on its way.

    The middleware sends here any request of this site whose access cookie ran
    out (``accounts.middleware``), with its method and body, and this sends it on
    the same way to where it was going (the ``next`` of the address, never of the
    body). A refresh token that cannot be
    traded (expired, its login ended, its account disabled) is taken out of the
    browser with the access cookie, and the request goes on anonymous: either way
    the next request does not come back here.

    A request of another site's page renews nothing: that check, rather than a
    CSRF token, keeps other sites out, since a GET renews as a POST does.
    """
    candidate = request.GET.get("next", "")
    own = is_safe_path(request, candidate) and not candidate.startswith(request.path)
    response = send_on(request, candidate if own else "/")
    if not from_this_site(request):
        return response
    raw_refresh = read_refresh_cookie(request)
    if raw_refresh is None:
        delete_token_cookies(response)
        return response
    try:
        pair = services.rotate_refresh_token(raw_token=raw_refresh)
    except RevocationListUnavailable:
        return renewal_unavailable(request, candidate)
    except (TokenError, InactiveAccount):
        delete_token_cookies(response)
    else:
        set_token_cookies(response, pair)
    return response


def renewal_unavailable(request: HttpRequest, going_to: str) -> HttpResponse:
    """A 503 that says why: an API call gets the API's shape, a page a page."""
    if going_to.startswith("/api/"):
        failure = RevocationCheckFailed()
        response = JsonResponse(
            {"detail": failure.default_detail, "code": failure.default_code},
            status=failure.status_code,
        )
    else:
        response = render(request, "accounts/renewal_unavailable.html", status=503)
    add_never_cache_headers(response)
    return response


def login_required_page(request: HttpRequest) -> HttpResponse | None:
    """Send a visitor without a valid card to the login page, then back."""
    if request.token_user.is_authenticated:
        return None
    return redirect_to_login(request.get_full_path(), reverse("login-page"))


def login_required_form(request: HttpRequest) -> HttpResponse | None:
    """Send a visitor without a valid card who posted one of the account page's
    forms to the login page, then back to the account page (not to the form's
    address, which only takes a POST)."""
    if request.token_user.is_authenticated:
        return None
    return redirect_to_login(reverse("account-page"), reverse("login-page"))


def this_login(request: HttpRequest) -> str:
    """The login (``fam``) of the card the page's request came with."""
    return request.token_user.token[FAMILY_CLAIM]


def render_account(
    request: HttpRequest,
    form: PasswordChangeForm | None = None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    """The account page: the person's logins, and the password form."""
    logins = list(selectors.logins_of(user_id=request.token_user.id))
    context = {
        "open_logins": [login for login in logins if login.state == LoginState.OPEN],
        "ended_logins": [login for login in logins if login.state != LoginState.OPEN],
        "current_family": this_login(request),
        "ended_hours": ENDED_LOGINS_SHOWN_FOR // timedelta(hours=1),
        "instant_revocation": instant_revocation_enabled(),
        "access_minutes": access_minutes(),
        "form": form or PasswordChangeForm(user=None),
    }
    context.update(extra)
    return render(request, "accounts/account.html", context, status=status)


def access_minutes() -> int:
    """How long an access token lives, in whole minutes (at least one)."""
    lifetime = settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]
    return max(1, round(lifetime.total_seconds() / 60))


@require_GET
def account(request: HttpRequest) -> HttpResponse:
    """Your account: every login (this device marked), and a new password."""
    if (to_login := login_required_page(request)) is not None:
        return to_login
    return render_account(request)


@require_POST
def end_login(request: HttpRequest, pk: int) -> HttpResponse:
    """End one of the person's logins, as ``POST /api/auth/logins/{id}/end/`` does.

    Anyone else's login is a 404. Ending this device's own login logs it out.
    """
    if (to_login := login_required_form(request)) is not None:
        return to_login
    try:
        login = services.end_own_login(
            user_id=request.token_user.id,
            login_id=pk,
            current_family=this_login(request),
        )
    except Login.DoesNotExist as exc:
        raise Http404("No such login.") from exc
    except RevocationListUnavailable:
        # The login has ended in the database; only its access token lives on.
        return render_account(request, status=503, marks_down=True)
    if login.family == this_login(request):
        response = redirect("home")
        delete_token_cookies(response)
        return response
    device = login.device or "a device"
    since = date_format(localtime(login.created_at), MOMENT)
    if instant_revocation_enabled():
        after = "its cards are refused from now on"
    else:
        after = (
            "its refresh token is refused from now on, and its access token runs "
            f"out within {access_minutes()} minutes"
        )
    messages.success(
        request,
        f"The login of {device} since {since} has ended: {after}.",
    )
    return redirect("account-page")


@require_POST
def log_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every login of the person, this device's too, as
    ``POST /api/auth/logout-all/`` does."""
    if (to_login := login_required_form(request)) is not None:
        return to_login
    try:
        ended = services.log_out_everywhere(user_id=request.token_user.id)
    except RevocationListUnavailable:
        # Every login has ended in the database; only the access tokens live on.
        response = render(
            request,
            "accounts/logged_out.html",
            {"access_minutes": access_minutes()},
            status=503,
        )
        delete_token_cookies(response)
        return response
    messages.success(
        request,
        f"You are logged out everywhere: {ended} login{'' if ended == 1 else 's'} "
        "ended, this one too.",
    )
    response = redirect("login-page")
    delete_token_cookies(response)
    return response


@require_POST
def change_password(request: HttpRequest) -> HttpResponse:
    """Change the password as ``POST /api/auth/password/`` does: the old one
    checked and counted like a login, every other login ended, this one kept."""
    if (to_login := login_required_form(request)) is not None:
        return to_login
    user = User.objects.filter(pk=request.token_user.id, is_active=True).first()
    if user is None:
        return redirect_to_login(reverse("account-page"), reverse("login-page"))
    form = PasswordChangeForm(request.POST, user=user)
    try:
        delay = throttle_delay(request, PasswordView, user=request.token_user)
    except ThrottleUnavailable:
        return render_account(request, form, status=503, cannot_count=True)
    if delay is not None:
        seconds = max(1, round(delay))
        response = render_account(request, form, status=429, retry_after=seconds)
        response["Retry-After"] = str(seconds)
        return response
    if not form.is_valid():
        return render_account(request, form)
    try:
        ended = services.change_password(
            user=user,
            new_password=form.cleaned_data["new_password"],
            keep_login=this_login(request),
        )
    except RevocationListUnavailable:
        # Nothing changed: the password and the logins' ends were rolled back.
        return render_account(request, form, status=503, cannot_end_logins=True)
    messages.success(
        request,
        f"Your password is changed. {ended} other login{'' if ended == 1 else 's'} "
        f"ended; this device stays logged in.",
    )
    return redirect("account-page")


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's login page, with the front desk's limits on guessing.

    Staff accounts are the most worth guessing: each attempt counts in the same
    buckets as ``/login/`` and ``POST /api/auth/token/``, per username and per
    address, before the admin's own form checks the password.
    """
    if request.method == "POST":
        try:
            delay = throttle_delay(request, TokenObtainView)
        except ThrottleUnavailable:
            return admin_login_refused(
                request,
                "Login attempts cannot be counted right now, so none is taken. "
                "Try again in a moment.",
                status=503,
            )
        if delay is not None:
            seconds = max(1, round(delay))
            response = admin_login_refused(
                request,
                f"Too many login attempts. Wait {seconds} second"
                f"{'' if seconds == 1 else 's'} and try again.",
                status=429,
            )
            response["Retry-After"] = str(seconds)
            return response
    return admin.site.login(request)


def admin_login_refused(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    """The admin's login page again, with why the attempt was not even checked."""
    context = {
        **admin.site.each_context(request),
        "title": "Log in",
        "app_path": request.get_full_path(),
        "form": AdminAuthenticationForm(request),
        "next": safe_next(request, default=reverse("admin:index")),
        "refusal": reason,
    }
    return render(request, "admin/login_refused.html", context, status=status)
