"""Start the test OpenID Connect provider on 127.0.0.1 (a free port) and serve until killed.

    python -m opencsc.sso.tests.provider.serve <work dir> <client id> <client secret> <redirect uri> <post-logout uri>

Binds the port first, so that the issuer it puts in tokens names the real port; generates an RSA
signing key; builds its own SQLite database in <work dir>; registers one confidential client; then
writes <work dir>/ready.json ({"port": ...}) for the test fixture and serves requests, one thread each.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def _rsa_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def main(argv: list[str]) -> None:
    work_dir, client_id, client_secret, redirect_uri, post_logout_uri = argv
    work = Path(work_dir)
    server = make_server("127.0.0.1", 0, lambda environ, start: [], server_class=_Server,
                         handler_class=_QuietHandler)
    port = server.server_address[1]
    os.environ["DJANGO_SETTINGS_MODULE"] = "opencsc.sso.tests.provider.settings"
    os.environ["SSO_TEST_PROVIDER_DB"] = str(work / "provider.sqlite3")
    os.environ["SSO_TEST_PROVIDER_KEY"] = _rsa_key_pem()
    os.environ["SSO_TEST_PROVIDER_ISSUER"] = f"http://127.0.0.1:{port}/o"

    import django

    django.setup()
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import get_application_model

    call_command("migrate", verbosity=0, interactive=False)
    get_application_model().objects.create(
        name="OpenCSC under test", client_id=client_id, client_secret=client_secret,
        client_type="confidential", authorization_grant_type="authorization-code",
        redirect_uris=redirect_uri, post_logout_redirect_uris=post_logout_uri,
        algorithm="RS256", skip_authorization=True,
    )
    server.set_app(get_wsgi_application())
    (work / "ready.json.tmp").write_text(json.dumps({"port": port}))
    (work / "ready.json.tmp").rename(work / "ready.json")
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
