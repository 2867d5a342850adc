"""The SSDA903 children looked after return: build the CSV files, and check them against the DfE rules.

    build(year, *, progress=None) -> list[ReturnFile]
    validate(year, *, progress=None) -> list[Issue]
    validate_files(files: dict[str, bytes]) -> list[Issue]
"""

from .build import build
from .validate import validate, validate_files

__all__ = ["build", "validate", "validate_files"]
