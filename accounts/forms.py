import hashlib
import logging
import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from accounts.models import User
from core import counters
from core.addresses import client_address

logger = logging.getLogger(__name__)


def time_zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class TimeZoneForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        help_text="Times on every page are shown in this zone.",
    )

    class Meta:
        model = User
        fields = ["time_zone"]


def digest(*parts):
    """A cache key's part that names `parts` without showing them (usernames, addresses)."""
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class ThrottledSignIn:
    """Sign-in with a bounded number of password guesses, on the site's and the admin's form.

    Each attempt is counted before its password is checked, in two counters of the "security"
    cache (core.counters): one for the username from the client's address
    (LOGIN_FAILURE_LIMIT), one for the username from everywhere (LOGIN_USERNAME_FAILURE_LIMIT,
    higher, so that one address cannot lock a user out for everyone while guessers spread over
    many addresses are still bounded). Past either limit the attempt is refused unchecked, even
    with the right password; being counted first, parallel attempts cannot all slip past the
    limit. The address counter stops at its limit without touching the username's: an address
    that keeps trying only wears out its own counter. A sign-in that succeeds takes its
    attempt back from the username's counter and clears the address's.

    The username is counted as Django signs it in (stripped, NFKC-normalised), and casefolded:
    every look-alike of a name (`ＡＬＩＣＥ`, `𝐚𝐥𝐢𝐜𝐞`) is the same name here.
    If the cache does not answer, nobody signs in until it does.
    """

    throttled_message = "Too many failed sign-ins for this username. Wait %(wait)s and try again."
    unavailable_message = "Signing in is unavailable for a moment. Try again in a few minutes."

    def clean(self):
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password"):
            return super().clean()  # nothing to check a password against: not an attempt
        username = User.normalize_username(username).casefold()
        address = client_address(self.request) if self.request else ""
        store = caches["security"]
        window = settings.LOGIN_FAILURE_WINDOW
        try:
            from_address = counters.count(
                store, f"signin:address:{digest(username, address)}", window
            )
            if from_address.count > settings.LOGIN_FAILURE_LIMIT:
                raise self._throttled(from_address)
            from_anywhere = counters.count(store, f"signin:username:{digest(username)}", window)
            if from_anywhere.count > settings.LOGIN_USERNAME_FAILURE_LIMIT:
                raise self._throttled(from_anywhere)
            cleaned_data = super().clean()
            counters.forget(store, from_address)
            counters.uncount(store, from_anywhere)
        except counters.StoreUnavailable as error:
            logger.error("Sign-in refused: the security cache does not answer (%s)", error)
            raise ValidationError(self.unavailable_message, code="unavailable") from error
        return cleaned_data

    def _throttled(self, tally):
        minutes = -(-tally.reset // 60)  # until the window ends, rounded up
        wait = ngettext("%d minute", "%d minutes", minutes) % minutes
        return ValidationError(self.throttled_message, code="throttled", params={"wait": wait})


class SignInForm(ThrottledSignIn, AuthenticationForm):
    pass


class AdminSignInForm(ThrottledSignIn, AdminAuthenticationForm):
    pass
