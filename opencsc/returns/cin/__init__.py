"""The Children in Need census: `build` the XML for a collection year and `validate` it.

    build(year, *, progress=None) -> list[ReturnFile]
    validate(year, *, progress=None) -> list[Issue]
    validate_xml(xml_bytes) -> list[Issue]

See docs/returns-cin.md for what is read from where and which DfE rules are checked.
"""

from .builder import build
from .validation import validate, validate_xml

__all__ = ["build", "validate", "validate_xml"]
