import hashlib
import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError

from accounts.models import User


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


class ThrottledSignIn:
    """Refuse a username from an address after LOGIN_FAILURE_LIMIT failed sign-ins within
    LOGIN_FAILURE_WINDOW seconds of the first, whatever the password; counted in the cache."""

    throttled_message = (
        "Too many failed sign-ins for this username. Wait %(minutes)s minutes and try again."
    )

    def _failures_key(self):
        username = (self.data.get("username") or "").strip().lower()
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        digest = hashlib.sha256(f"{username}\n{address}".encode()).hexdigest()
        return f"signin-failures:{digest}"

    def clean(self):
        key = self._failures_key()
        if cache.get(key, 0) >= settings.LOGIN_FAILURE_LIMIT:
            minutes = -(-settings.LOGIN_FAILURE_WINDOW // 60)
            raise ValidationError(
                self.throttled_message, code="throttled", params={"minutes": minutes}
            )
        try:
            cleaned_data = super().clean()
        except ValidationError:
            if not cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW):
                cache.incr(key)
            raise
        cache.delete(key)
        return cleaned_data


class SignInForm(ThrottledSignIn, AuthenticationForm):
    pass


class AdminSignInForm(ThrottledSignIn, AdminAuthenticationForm):
    pass
