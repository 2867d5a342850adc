"""The migrations agree with the models, and every one of them applies to an empty database.

The rest of the suite builds its test database straight from the models (`--no-migrations`, about
four times faster), so this is where the migrations themselves are checked; CI also applies them
to an empty PostgreSQL database.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db  # makemigrations checks the recorded history against the database
def test_the_models_need_no_new_migration():
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


def test_every_migration_applies_to_an_empty_database():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENCSC_DATABASE", "PG"))}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"  # an in-memory SQLite database
    result = subprocess.run([sys.executable, "manage.py", "migrate", "--no-input"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Applying people.0001_initial... OK" in result.stdout
