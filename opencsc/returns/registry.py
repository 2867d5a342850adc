"""The statutory returns OpenCSC makes, and where each one's code lives.

Each kind names a package offering `build` (and `validate` where the DfE publishes rules). The
packages are imported when first used, so a return whose package is missing shows as unavailable
rather than breaking the others.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class ReturnKind:
    key: str
    module: str
    title: str
    files: str  # what the return produces, in words
    by_year: bool  # a collection year (CIN, SSDA903) or a period of dates (Annex A)

    def load(self) -> ModuleType | None:
        try:
            module = importlib.import_module(self.module)
        except ModuleNotFoundError as error:
            if error.name and self.module.startswith(error.name):
                return None
            raise
        return module if hasattr(module, "build") else None

    @property
    def available(self) -> bool:
        return self.load() is not None

    @property
    def validates(self) -> bool:
        module = self.load()
        return module is not None and hasattr(module, "validate")


KINDS: dict[str, ReturnKind] = {
    "cin": ReturnKind("cin", "opencsc.returns.cin", "Children in need census", "one XML file", by_year=True),
    "ssda903": ReturnKind("ssda903", "opencsc.returns.ssda903", "SSDA903 children looked after return",
                          "CSV files, one for each 903 table", by_year=True),
    "annexa": ReturnKind("annexa", "opencsc.returns.annexa", "Ofsted Annex A lists",
                         "one Excel workbook with lists 1 to 11", by_year=False),
}
KIND_CHOICES = [(k.key, k.title) for k in KINDS.values()]


class UnknownReturn(ValueError):
    pass


def get(key: str) -> ReturnKind:
    try:
        return KINDS[key]
    except KeyError:
        raise UnknownReturn(f"There is no return called {key!r}: choose one of {', '.join(KINDS)}") from None
