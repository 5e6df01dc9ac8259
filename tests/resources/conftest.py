import pytest


@pytest.fixture
def themes(site):
    """Three themes in English, with French translations of the first two."""
    from wagtail.models import Locale

    from resources.models import Theme

    en = Locale.objects.get(language_code="en")
    fr = Locale.objects.get(language_code="fr")
    integration = Theme.objects.create(name="Integration", locale=en)
    diaspora = Theme.objects.create(name="Diaspora engagement", locale=en)
    child = Theme.objects.create(name="Child protection", locale=en)
    for theme, name in [(integration, "Intégration"), (diaspora, "Diaspora")]:
        translation = theme.copy_for_translation(fr)
        translation.name = name
        translation.save()
    return {"integration": integration, "diaspora": diaspora, "child": child}
