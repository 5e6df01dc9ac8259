from django.utils.functional import SimpleLazyObject

# The navigation asks on every signed-in page. One indexed EXISTS query, not
# a cache entry: it is as quick as a Redis round trip, and never stale.


def _is_trainer(user) -> bool:
    from .models import TrainerQualification

    return TrainerQualification.objects.filter(
        user=user, withdrawn_at__isnull=True
    ).exists()


def trainer(request):
    """`is_trainer` for the navigation; evaluated only when a template asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_trainer": False}
    return {"is_trainer": SimpleLazyObject(lambda: _is_trainer(user))}
