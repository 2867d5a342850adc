"""Static files with hashed names (collectstatic), compressed ahead of time (WhiteNoise).

OpenCSC's own scripts (core/*.js) also have their ES module imports rewritten to the hashed names
(`import { initAll } from '../vendor/govuk-frontend/govuk-frontend.min.js';`, with its semicolon), so a module
is fetched once, under one name, with the year-long cache of hashed files. Only ours: Django's rewriting,
switched on for every script, misreads words in minified libraries (htmx) as imports.
"""

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage

_JS_IMPORTS = ManifestStaticFilesStorage._js_module_import_aggregation_patterns[1]


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = (*CompressedManifestStaticFilesStorage.patterns, ("core/*.js", _JS_IMPORTS))
