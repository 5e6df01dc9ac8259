from django.apps import AppConfig


class RelaisConfig(AppConfig):
    name = "relais"
    verbose_name = "Relais"

    def ready(self) -> None:
        import logging
        import os
        import sys

        from django.conf import settings

        from . import page_cache

        page_cache.connect_signals()

        # Say how background tasks run when serving (not on every command).
        # runserver's autoreloader runs this in its watching process too: say
        # it in the serving one only (RUN_MAIN set, or no autoreloader).
        runserver = "runserver" in sys.argv[:2] and (
            os.environ.get("RUN_MAIN") == "true" or "--noreload" in sys.argv
        )
        serving = runserver or "gunicorn" in sys.argv[0]
        if serving and settings.CELERY_TASK_ALWAYS_EAGER:
            logging.getLogger("relais").info(
                "Background tasks run in-process (no REDIS_URL: Celery is eager, "
                "each task runs right after the commit that queued it)."
            )
