"""The missing episode's kind is the SSDA903 Missing file's MISSING column: the same codes as the code book."""

from opencsc.codes.lists import ssda903_list
from opencsc.missing.models import MissingEpisode


def test_missing_kinds_are_the_ssda903_codes():
    assert set(MissingEpisode.Kind.values) == ssda903_list("Missing", "MISSING", "Missing or away").codes
