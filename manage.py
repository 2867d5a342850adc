#!/usr/bin/env python
"""Django's command-line utility for OpenCSC.

The production settings are the default (they need the environment in docs/settings.md); the demo runs with
DJANGO_SETTINGS_MODULE=config.settings.demo, as `make demo` sets it.
"""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
