"""drf-spectacular description of the API-key authentication (so the schema declares the header)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """OpenAPI security scheme `api_key`: the X-CEKURA-API-KEY header (Bearer also accepted)."""

    target_class = "scenarist.accounts.auth.ApiKeyAuthentication"
    name = "api_key"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-CEKURA-API-KEY",
            "description": "API key of one project. `Authorization: Bearer <key>` is accepted too.",
        }
