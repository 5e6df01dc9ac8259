from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class RelaisUserManager(UserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email)
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person with an account. Email is the login; the profile fields live
    here so that reports group by them without another join."""

    class OrganisationType(models.TextChoices):
        GOVERNMENT = "government", _("Government ministry or agency")
        LOCAL_GOVERNMENT = "local_government", _("Local or regional government")
        BORDER = "border", _("Border or immigration service")
        CIVIL_SOCIETY = "civil_society", _("Civil society or NGO")
        INTERNATIONAL = "international", _("International organisation")
        ACADEMIA = "academia", _("University or research")
        PRIVATE = "private", _("Private sector")
        OTHER = "other", _("Other")

    class Gender(models.TextChoices):
        NOT_STATED = "not_stated", _("Prefer not to say")
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        OTHER = "other", _("Other")

    username = None  # type: ignore[assignment]  # sign-in is by email
    email = models.EmailField(_("email address"), unique=True)
    country = CountryField(_("country"), blank=True, db_index=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    organisation_type = models.CharField(
        _("organisation type"),
        max_length=32,
        choices=OrganisationType.choices,
        blank=True,
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
    )
    # Where the visitor was going when they signed up (a local path, such as
    # the course they were enrolling in): the confirmation link leads back
    # there even when opened in another browser (accounts/adapters.py). A
    # database default, so that bulk loads (generate_scale_data) may leave it out.
    signup_next = models.CharField(
        max_length=500, blank=True, default="", db_default="", editable=False
    )
    gender = models.CharField(
        _("gender"),
        max_length=16,
        choices=Gender.choices,
        default=Gender.NOT_STATED,
        help_text=_("Optional. Used only in anonymous programme statistics."),
    )
    save_data = models.BooleanField(
        _("save data"),
        default=False,
        db_default=False,
        help_text=_("Leave images out of lessons, for a slow or costly connection."),
    )
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[RelaisUserManager] = RelaisUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        full = self.get_full_name().strip()
        return full or self.email
