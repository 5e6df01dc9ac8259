"""Data-rights hooks: other apps add their share of a person's data to the
export, and clean up their own personal data when an account is deleted.
accounts knows nothing of them; they connect in their AppConfig.ready().

user_data_export: receiver(user) -> dict, merged into the JSON download
    (use a top-level key named after your app, e.g. {"certificates": [...]}).
user_anonymised: receiver(user, old_email) -> None, called inside the
    transaction that anonymised the account (user row already scrubbed)."""

from relais.hooks import Hook

user_data_export = Hook("user_data_export")
user_anonymised = Hook("user_anonymised")
