"""Wagtail's Users and Groups admin, where roles are given and taken away,
with staff re-authentication before any change is saved
(docs/security.md "Two factors"). Installed in place of "wagtail.users"
(settings INSTALLED_APPS: accounts.roles.apps.UsersAdminConfig)."""
