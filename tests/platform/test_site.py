import pytest
from wagtail.models import Page, Site

from home.models import HomePage
from home.services import site_ensure


def test_site_ensure_is_idempotent_and_translates_home(db):
    site_ensure()
    counts = (Page.objects.count(), Site.objects.count())
    site = site_ensure()
    assert (Page.objects.count(), Site.objects.count()) == counts
    assert site.is_default_site and isinstance(site.root_page.specific, HomePage)
    languages = set(HomePage.objects.values_list("locale__language_code", flat=True))
    assert languages == {"en", "fr", "es", "pt", "ru", "ar"}


# Serialized like every transactional test here: a flush that re-creates the
# content types would clash with the next test's restored ones.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_site_ensure_recreates_the_root_after_a_flush():
    Page.objects.all().delete()
    site = site_ensure()
    assert Page.get_first_root_node() is not None
    assert site.root_page.specific.__class__ is HomePage
