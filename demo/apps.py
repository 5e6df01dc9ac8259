from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content and scale data. Installed by the dev, test and bench
    settings only: production has no `load_demo` or `generate_scale_data`."""

    name = "demo"
    default_auto_field = "django.db.models.BigAutoField"
