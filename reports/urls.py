from django.urls import path

from . import trainer_exports

urlpatterns: list = [
    path(
        "trainer/cascade/reach-over-time.csv",
        trainer_exports.cascade_months_csv,
        name="trainer_cascade_months_csv",
    ),
]
