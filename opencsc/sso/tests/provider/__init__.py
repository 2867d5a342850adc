"""A small OpenID Connect provider for the single sign-on tests (test code only, never deployed).

A django-oauth-toolkit site with its own settings and its own SQLite file, started by
``opencsc/sso/tests/conftest.py`` as a subprocess on 127.0.0.1 (``serve.py``). It signs ID tokens with
an RSA key generated when it starts, has one confidential client (the app under test), and has
test-only knobs (``views.py``) to add users and to spoil the next ID token (a wrong audience, an
expiry in the past) so that the app's refusals can be tested against a real provider.
"""
