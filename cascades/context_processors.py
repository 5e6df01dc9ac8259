from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

# The navigation asks on every signed-in page; the answer changes only when a
# qualification is granted or withdrawn, which calls forget_trainer().
_TTL = 300


def _cache_key(user_id: int) -> str:
    return f"is_trainer:{user_id}"


def forget_trainer(user_id: int) -> None:
    cache.delete(_cache_key(user_id))


def _is_trainer(user) -> bool:
    from .models import TrainerQualification

    key = _cache_key(user.pk)
    cached = cache.get(key)
    if cached is None:
        cached = TrainerQualification.objects.filter(
            user=user, withdrawn_at__isnull=True
        ).exists()
        cache.set(key, cached, _TTL)
    return cached


def trainer(request):
    """`is_trainer` for the navigation; evaluated only when a template asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_trainer": False}
    return {"is_trainer": SimpleLazyObject(lambda: _is_trainer(user))}
