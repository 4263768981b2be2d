import base64
import binascii

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from accounts.models import ApiKey


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """HTTP Basic with the API key as the username and an empty password, as Close does."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != b"basic":
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid Basic authorization header.") from None
        try:
            decoded = base64.b64decode(header[1], validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise exceptions.AuthenticationFailed("Invalid Basic authorization header.") from None
        key = decoded.partition(":")[0]
        api_key = ApiKey.objects.authenticate(key) if key else None
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
