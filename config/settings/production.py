"""Production settings: everything secure, the secret key must be given."""

import os

from .base import *  # noqa: F401,F403

SECRET_KEY = os.environ["OPENCSC_SECRET_KEY"]
