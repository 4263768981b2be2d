from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from accounts.models import ApiKey
from api.credentials import MalformedCredentials, basic_credentials


def presented_api_key(request):
    """Return the API key a request presents as its Basic username, or None.

    None too for a Basic header that cannot be read: authentication refuses it with 401.
    """
    try:
        credentials = basic_credentials(request.META.get("HTTP_AUTHORIZATION", ""))
    except MalformedCredentials:
        return None
    return credentials.username if credentials else None


def find_api_key(request, key):
    """Return the active ApiKey `key` with its membership, or None.

    Looked up once per request, whoever asks first: the rate limit, then authentication.
    """
    http_request = getattr(request, "_request", request)  # DRF's Request wraps Django's
    found = http_request.__dict__.setdefault("_api_keys_found", {})
    if key not in found:
        found[key] = ApiKey.objects.authenticate(key) if key else None
    return found[key]


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """HTTP Basic with the API key as the username and an empty password, as Close does."""

    def authenticate(self, request):
        try:
            credentials = basic_credentials(request.META.get("HTTP_AUTHORIZATION", ""))
        except MalformedCredentials:
            raise exceptions.AuthenticationFailed("Invalid Basic authorization header.") from None
        if credentials is None:
            return None
        api_key = find_api_key(request, credentials.username)
        if api_key is None:
            raise exceptions.AuthenticationFailed(
                "The server could not verify that you are authorized to access the URL requested. "
                "You either supplied the wrong credentials (e.g. a bad password), or your browser "
                "doesn't understand how to supply the credentials required."
            )
        return api_key.membership.user, api_key

    def authenticate_header(self, request):
        return 'Basic realm="api"'


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes `ApiKeyAuthentication`."""

    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "basic",
            "description": "HTTP Basic: the API key as the username, an empty password.",
        }
