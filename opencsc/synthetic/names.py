"""Names for a diverse London-style borough, matched to the child's ethnicity.

The name lists come from Faker's person providers for the matching locales
(en_GB, en_IE, en_IN, en_PK, yo_NG, tw_GH, en_KE, pl_PL, ro_RO, pt_PT, tr_TR),
plus a short list of Arabic and Somali names Faker lacks in Latin script.
Drawing from the lists with the step's own random generator keeps generation
fast and exactly reproducible.
"""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass
from functools import cache

# DfE ethnicity codes with weights: roughly the mix of children known to
# children's social care in an outer London borough such as Hounslow.
ETHNICITY_WEIGHTS: dict[str, float] = {
    "WBRI": 30.0,
    "WIRI": 1.0,
    "WIRT": 0.5,
    "WOTH": 10.0,
    "WROM": 1.0,
    "MWBC": 3.0,
    "MWBA": 1.5,
    "MWAS": 2.0,
    "MOTH": 4.0,
    "AIND": 10.0,
    "APKN": 7.0,
    "ABAN": 1.5,
    "AOTH": 7.0,
    "BCRB": 2.5,
    "BAFR": 7.0,
    "BOTH": 2.0,
    "CHNE": 0.5,
    "OOTH": 6.0,
    "REFU": 0.5,
    "NOBT": 3.0,
}

EXTRA_MUSLIM_MALE = (
    "Mohammed",
    "Muhammad",
    "Mohamed",
    "Ahmed",
    "Omar",
    "Yusuf",
    "Ali",
    "Hassan",
    "Ibrahim",
    "Abdullah",
    "Bilal",
    "Hamza",
    "Zakariya",
    "Idris",
    "Mustafa",
    "Khalid",
    "Abdirahman",
    "Abdi",
    "Mahad",
    "Karim",
)
EXTRA_MUSLIM_FEMALE = (
    "Fatima",
    "Aisha",
    "Zainab",
    "Maryam",
    "Layla",
    "Amina",
    "Hafsa",
    "Khadija",
    "Safiya",
    "Sumaya",
    "Hodan",
    "Ayan",
    "Hibaq",
    "Nasra",
    "Yasmin",
    "Noor",
    "Ruqayyah",
    "Iman",
    "Leila",
    "Samira",
)
EXTRA_MUSLIM_LAST = (
    "Ahmed",
    "Ali",
    "Hassan",
    "Mohamed",
    "Hussein",
    "Abdi",
    "Farah",
    "Osman",
    "Yusuf",
    "Ibrahim",
    "Abdullah",
    "Rahman",
    "Karimi",
    "Haidari",
    "Rahimi",
    "Noorzai",
    "Mohammadi",
    "Jama",
    "Warsame",
    "Khalil",
)
BANGLADESHI_LAST = (
    "Begum",
    "Miah",
    "Uddin",
    "Rahman",
    "Islam",
    "Hossain",
    "Ahmed",
    "Khatun",
    "Ali",
    "Choudhury",
)
# Popular names for children born in England and Wales since 2005 (ONS), added to Faker's en_GB list.
MODERN_MALE = (
    "Oliver",
    "Jack",
    "Harry",
    "George",
    "Noah",
    "Charlie",
    "Jacob",
    "Alfie",
    "Freddie",
    "Oscar",
    "Leo",
    "Logan",
    "Archie",
    "Theo",
    "Thomas",
    "James",
    "Joshua",
    "Henry",
    "William",
    "Max",
    "Lucas",
    "Ethan",
    "Arthur",
    "Mason",
    "Isaac",
    "Harrison",
    "Teddy",
    "Finley",
    "Riley",
    "Tyler",
    "Kai",
    "Jayden",
    "Callum",
)
MODERN_FEMALE = (
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Isabella",
    "Sophia",
    "Grace",
    "Lily",
    "Freya",
    "Emily",
    "Ivy",
    "Ella",
    "Rosie",
    "Evie",
    "Florence",
    "Poppy",
    "Charlotte",
    "Willow",
    "Sienna",
    "Phoebe",
    "Ruby",
    "Chloe",
    "Jessica",
    "Millie",
    "Sophie",
    "Daisy",
    "Scarlett",
    "Aaliyah",
    "Leah",
    "Zara",
    "Katie",
)
CHINESE_FIRST = ("Wei", "Jun", "Hao", "Yu", "Xin", "Jia", "Ming", "Li", "Chen", "Lin", "Mei", "Yan")
CHINESE_LAST = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Lin", "Lam")
POLISH_LAST = (
    "Nowak",
    "Kowalski",
    "Wisniewski",
    "Wojcik",
    "Kowalczyk",
    "Kaminski",
    "Lewandowski",
    "Zielinski",
    "Szymanski",
    "Wozniak",
    "Dabrowski",
    "Kozlowski",
    "Jankowski",
    "Mazur",
    "Kwiatkowski",
)
CARIBBEAN_LAST = (
    "Campbell",
    "Brown",
    "Williams",
    "Thomas",
    "Francis",
    "Reid",
    "Grant",
    "Clarke",
    "Henry",
    "Morgan",
)


@dataclass(frozen=True)
class NamePool:
    male: tuple[str, ...]
    female: tuple[str, ...]
    last: tuple[str, ...]


def _provider(locale: str):
    return importlib.import_module(f"faker.providers.person.{locale}").Provider


def _names(value) -> tuple[str, ...]:
    return tuple(sorted(set(value)))


@cache
def _locale_pool(locale: str) -> NamePool:
    p = _provider(locale)
    male = getattr(p, "first_names_male", None) or p.first_names
    female = getattr(p, "first_names_female", None) or p.first_names
    return NamePool(_names(male), _names(female), _names(p.last_names))


def _merge(*pools: NamePool, last: tuple[str, ...] | None = None) -> NamePool:
    return NamePool(
        _names(n for p in pools for n in p.male),
        _names(n for p in pools for n in p.female),
        _names(last) if last is not None else _names(n for p in pools for n in p.last),
    )


@cache
def pools() -> dict[str, NamePool]:
    gb = _merge(_locale_pool("en_GB"), NamePool(MODERN_MALE, MODERN_FEMALE, ()))
    ie = _locale_pool("en_IE")
    india = _locale_pool("en_IN")
    pk = _locale_pool("en_PK")
    muslim = NamePool(EXTRA_MUSLIM_MALE, EXTRA_MUSLIM_FEMALE, EXTRA_MUSLIM_LAST)
    pakistani = NamePool(
        _names(EXTRA_MUSLIM_MALE + tuple(n for n in pk.male if n[:1].isascii())),
        _names(EXTRA_MUSLIM_FEMALE + tuple(n for n in pk.female if n[:1].isascii())),
        _names(tuple(n for n in pk.last if n[:1].isascii())),
    )
    west_africa = _merge(_locale_pool("yo_NG"), _locale_pool("tw_GH"))
    kenya = _locale_pool("en_KE")
    east_africa = NamePool(kenya.male[::3], kenya.female[::3], kenya.last[::8])
    african = _merge(west_africa, east_africa, muslim)
    white_other = _merge(
        _locale_pool("pl_PL"),
        _locale_pool("ro_RO"),
        _locale_pool("pt_PT"),
        last=POLISH_LAST + _locale_pool("ro_RO").last + _locale_pool("pt_PT").last,
    )
    return {
        "british": gb,
        "irish": _merge(ie, last=ie.last),
        "white_other": white_other,
        "roma": _merge(_locale_pool("ro_RO")),
        "indian": india,
        "pakistani": pakistani,
        "bangladeshi": NamePool(EXTRA_MUSLIM_MALE, EXTRA_MUSLIM_FEMALE, BANGLADESHI_LAST),
        "asian_other": _merge(india, pakistani, _locale_pool("tr_TR"), muslim),
        "caribbean": NamePool(gb.male, gb.female, CARIBBEAN_LAST + gb.last[:200]),
        "african": african,
        "chinese": NamePool(CHINESE_FIRST, CHINESE_FIRST, CHINESE_LAST),
        "other": _merge(muslim, _locale_pool("tr_TR")),
    }


POOL_FOR_ETHNICITY = {
    "WBRI": "british",
    "WIRI": "irish",
    "WIRT": "irish",
    "WOTH": "white_other",
    "WROM": "roma",
    "MWBC": "caribbean",
    "MWBA": "african",
    "MWAS": "indian",
    "MOTH": "british",
    "AIND": "indian",
    "APKN": "pakistani",
    "ABAN": "bangladeshi",
    "AOTH": "asian_other",
    "BCRB": "caribbean",
    "BAFR": "african",
    "BOTH": "african",
    "CHNE": "chinese",
    "OOTH": "other",
    "REFU": "british",
    "NOBT": "british",
}
# Mixed-heritage children often have a first name from one side and a surname from the other.
MIXED = {"MWBC": "british", "MWBA": "british", "MWAS": "british", "MOTH": "white_other"}


def choose_ethnicity(rng: random.Random) -> str:
    codes = list(ETHNICITY_WEIGHTS)
    return rng.choices(codes, weights=[ETHNICITY_WEIGHTS[c] for c in codes])[0]


def first_name(rng: random.Random, ethnicity: str, sex: str) -> str:
    pool = pools()[POOL_FOR_ETHNICITY.get(ethnicity, "british")]
    if sex == "M":
        return rng.choice(pool.male)
    if sex == "F":
        return rng.choice(pool.female)
    return rng.choice(pool.male if rng.random() < 0.5 else pool.female)


def last_name(rng: random.Random, ethnicity: str) -> str:
    key = MIXED.get(ethnicity) if rng.random() < 0.5 else None
    pool = pools()[key or POOL_FOR_ETHNICITY.get(ethnicity, "british")]
    return rng.choice(pool.last)
