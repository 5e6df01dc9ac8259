from django import template

from certificates.credentials.documents import linkedin_url as build_linkedin_url

register = template.Library()


@register.filter
def linkedin_url(certificate) -> str:
    """{{ certificate|linkedin_url }}: LinkedIn's add-a-certification link."""
    return build_linkedin_url(certificate)
