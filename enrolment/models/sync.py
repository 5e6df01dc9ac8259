"""Progress made offline and sent later (docs/offline.md, "Progress made
offline"): one row per item the phone sent, so that sending it again counts
once."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SyncedItem(models.Model):
    """An item of progress made on the phone (a "Mark as done" or a quiz
    answer), applied when it reached the server. `client_id` is the id the
    phone made (a UUID); `result` is what the server answered, given again
    when the same item is sent twice. Items refused are not kept."""

    class Kind(models.TextChoices):
        LESSON_DONE = "lesson_done", "lesson done"
        QUIZ = "quiz", "quiz"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    client_id = models.UUIDField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    lesson = models.ForeignKey(
        "courses.LessonPage",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    done_at = models.DateTimeField(help_text="When it was done (bounded).")
    synced_at = models.DateTimeField()
    result = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "client_id"], name="synceditem_unique_client_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} {self.client_id}"
