"""Real postcodes, with their grid references (ONS postcode directory, as the DfE's 903 tool reads it), for the
homes and placements of children in care: the tool works out each placement's local authority and distance
from them (rules 169, 179, 392a and 392c), so an in-borough flag and a distance must agree with the postcode.
Every postcode here is in a local authority whose code the tool knows (its 2021 list: not Sheffield's
E08000039, for one).

The borough's postcode districts are `identifiers.POSTCODE_DISTRICTS` (Hounslow's, LA E09000018); placements
out of the borough use real postcode districts of other areas, near (neighbouring boroughs, within 20 miles)
and far.
"""

from __future__ import annotations

import math
import random
import zlib
from decimal import Decimal

# Postcodes in the borough (all Hounslow's), by district: (easting, northing) in metres.
IN_BOROUGH: dict[str, tuple[int, int]] = {
    "TW3 1JJ": (513501, 175916),
    "TW3 1SH": (514700, 175800),
    "TW3 1UA": (514183, 175775),
    "TW3 2RF": (514487, 174673),
    "TW3 3NX": (513721, 175336),
    "TW3 3YF": (513939, 175863),
    "TW3 4BN": (513971, 176641),
    "TW3 4EX": (513728, 176703),
    "TW3 9JE": (513939, 175863),
    "TW4 5EP": (512620, 174709),
    "TW4 5JH": (512808, 175184),
    "TW4 5RG": (513939, 175863),
    "TW4 6DT": (511161, 175843),
    "TW4 6HX": (510979, 175767),
    "TW4 7AW": (513939, 175863),
    "TW4 7JA": (511875, 175919),
    "TW4 7LF": (511701, 176156),
    "TW4 7NE": (511509, 176325),
    "TW5 0EH": (512474, 177654),
    "TW5 0HA": (512968, 177908),
    "TW5 0JL": (512547, 177074),
    "TW5 0LP": (512955, 177724),
    "TW5 0RT": (513161, 177828),
    "TW5 9ED": (512085, 177228),
    "TW5 9HW": (512003, 177230),
    "TW5 9LA": (511367, 177361),
    "TW5 9NJ": (511131, 178190),
    "TW7 4JX": (515091, 176679),
    "TW7 4QA": (514985, 177084),
    "TW7 4SW": (515000, 176600),
    "TW7 4UW": (517054, 177215),
    "TW7 5PQ": (515703, 177590),
    "TW7 6HQ": (515284, 175529),
    "TW7 6ST": (515938, 175814),
    "TW7 7AD": (516281, 175683),
    "TW7 7PB": (514817, 174976),
    "TW13 4JF": (510236, 172669),
    "TW13 4PS": (509728, 171510),
    "TW13 4SD": (509592, 172138),
    "TW13 5JB": (512169, 172899),
    "TW13 5QY": (513246, 172517),
    "TW13 7HH": (510724, 172372),
    "TW13 7LS": (510600, 172900),
    "TW13 7QG": (511205, 171821),
    "TW14 0EP": (511079, 174205),
    "TW14 0NF": (509900, 175100),
    "TW14 0PP": (509800, 175300),
    "TW14 8JQ": (508562, 173917),
    "TW14 8RS": (507599, 173073),
    "TW14 8TH": (510716, 172375),
    "TW14 9EE": (510117, 174279),
    "TW14 9PR": (508923, 174402),
    "TW3 1ES": (513801, 175622),
}
# Postcodes of other areas within 20 miles (32 km) of the borough: district -> ((postcode, easting, northing), ...).
NEAR: dict[str, tuple[tuple[str, int, int], ...]] = {
    "UB1": (("UB1 1SR", 512790, 180222), ("UB1 2BF", 512300, 180500), ("UB1 3WB", 512632, 179976)),  # E09000009, about 4.4 km
    "UB2": (("UB2 4PG", 513757, 179497), ("UB2 4RL", 513220, 179128), ("UB2 4XN", 513540, 179401)),  # E09000009, about 3.6 km
    "W5": (("W5 3AD", 519089, 181647), ("W5 9ST", 517559, 180736), ("W5 9TR", 517544, 180349)),  # E09000009, about 8.0 km
    "W7": (("W7 2EU", 515400, 179600), ("W7 3AE", 515110, 181660), ("W7 3BG", 515574, 180477)),  # E09000009, about 4.1 km
    "W13": (("W13 3ET", 516561, 180779), ("W13 8GY", 516561, 180779), ("W13 8JD", 517241, 181376)),  # E09000009, about 5.7 km
    "UB3": (("UB3 1SP", 508364, 179823), ("UB3 2XL", 510140, 179496), ("UB3 9BP", 510152, 179500)),  # E09000017, about 6.5 km
    "UB4": (("UB4 8PT", 508711, 183352), ("UB4 9DD", 511314, 182268), ("UB4 9LJ", 511267, 182446)),  # E09000017, about 8.8 km
    "UB7": (("UB7 0RU", 506136, 177209), ("UB7 9DQ", 506586, 179235), ("UB7 9HS", 506517, 178754)),  # E09000017, about 7.5 km
    "UB8": (("UB8 1XU", 505668, 184638), ("UB8 2GP", 505343, 182979), ("UB8 2GW", 505343, 182979)),  # E09000017, about 11.7 km
    "TW1": (("TW1 2NH", 516928, 173808), ("TW1 3RN", 516200, 173400), ("TW1 9BY", 515984, 173661)),  # E09000027, about 4.0 km
    "TW2": (("TW2 5RG", 515000, 172600), ("TW2 6RQ", 515222, 173382), ("TW2 7UG", 515984, 173661)),  # E09000027, about 3.6 km
    "TW9": (("TW9 2ET", 518873, 176171), ("TW9 2SH", 518100, 175500), ("TW9 4DR", 519455, 177080)),  # E09000027, about 5.4 km
    "KT1": (("KT1 1AZ", 517787, 169107), ("KT1 2TE", 518247, 168241), ("KT1 3EU", 518990, 168906)),  # E09000021, about 8.0 km
    "KT2": (("KT2 6EX", 518749, 170207), ("KT2 7LU", 519933, 170781), ("KT2 7LW", 518841, 168688)),  # E09000021, about 7.8 km
    "KT3": (("KT3 5ED", 520805, 167757), ("KT3 6UG", 521477, 168161), ("KT3 9EL", 521477, 168161)),  # E09000021, about 11.0 km
    "W6": (("W6 6LZ", 522365, 178516), ("W6 8QA", 524375, 177589), ("W6 8ZF", 523961, 177927)),  # E09000013, about 9.2 km
    "W12": (("W12 6EL", 523568, 180626), ("W12 8NY", 522937, 179672), ("W12 9YG", 523568, 180626)),  # E09000013, about 11.1 km
    "W14": (("W14 0QZ", 524176, 179036), ("W14 8FX", 524179, 179047), ("W14 9PU", 524530, 177941)),  # E09000013, about 11.1 km
    "SL3": (("SL3 6LL", 499545, 181272), ("SL3 7UB", 500322, 179140), ("SL3 8GL", 501731, 178407)),  # E06000060, about 14.9 km
    "SL1": (("SL1 1PP", 497864, 179513), ("SL1 5LZ", 494128, 180212), ("SL1 5NZ", 493600, 180700)),  # E06000039, about 16.0 km
    "HA0": (("HA0 4RF", 517800, 184555), ("HA0 4YF", 518115, 184956), ("HA0 9PF", 517516, 184972)),  # E09000005, about 9.6 km
    "SM1": (("SM1 2DW", 524634, 163844), ("SM1 2JU", 524800, 164859), ("SM1 2NP", 525795, 163916)),  # E09000029, about 16.4 km
    "CR0": (("CR0 5QH", 533646, 165650), ("CR0 8PX", 537079, 165466), ("CR0 9DZ", 537953, 163597)),  # E09000008, about 22.6 km
    "GU1": (("GU1 2BG", 500870, 149637), ("GU1 4UW", 499196, 149776), ("GU1 9XW", 499049, 150522)),  # E07000209, about 29.2 km
}
# Further away (more than 20 miles).
FAR: dict[str, tuple[tuple[str, int, int], ...]] = {
    "RG1": (("RG1 2SY", 471924, 172868), ("RG1 6JX", 470818, 172487), ("RG1 7UF", 470959, 173370)),  # E06000038, about 41.7 km
    "RG2": (("RG2 0PP", 471321, 174026), ("RG2 8WZ", 471613, 170786), ("RG2 9LF", 473104, 168483)),  # E06000038, about 42.2 km
    "MK9": (("MK9 2GF", 484875, 238990), ("MK9 3LX", 485271, 239022), ("MK9 3XU", 489950, 237696)),  # E06000042, about 69.3 km
    "ME4": (("ME4 5QR", 576040, 167454), ("ME4 6LH", 575227, 166714), ("ME4 6ZY", 575843, 167650)),  # E06000035, about 63.1 km
    "BN1": (("BN1 2AG", 531040, 104624), ("BN1 2RW", 530500, 104400), ("BN1 6SX", 530208, 106548)),  # E06000043, about 73.4 km
    "B12": (("B12 0QD", 407897, 286073), ("B12 8ST", 408078, 284276), ("B12 8TN", 408227, 284530)),  # E08000025, about 152.6 km
    "LU1": (("LU1 1NG", 507907, 221574), ("LU1 2PH", 508860, 221378), ("LU1 5GG", 507505, 220599)),  # E06000032, about 46.0 km
    "OX4": (("OX4 1ZG", 454422, 202940), ("OX4 4YD", 453084, 201322), ("OX4 7US", 456180, 202646)),  # E07000178, about 65.0 km
    "PO1": (("PO1 2NQ", 463300, 99300), ("PO1 9AP", 464343, 100366), ("PO1 9WS", 464340, 100350)),  # E06000044, about 91.6 km
    "NR1": (("NR1 3LA", 623161, 308236), ("NR1 4EQ", 623674, 308983), ("NR1 4PB", 624992, 308948)),  # E07000148, about 171.9 km
    "LE2": (("LE2 0BG", 460093, 304964), ("LE2 7PX", 458371, 302093), ("LE2 9ZG", 457370, 299317)),  # E06000016, about 139.7 km
    "NG7": (("NG7 1SS", 455662, 339500), ("NG7 6FD", 455641, 341708), ("NG7 7BG", 456093, 342228)),  # E06000018, about 173.5 km
    "BS5": (("BS5 0UR", 360273, 174020), ("BS5 5FG", 361423, 173987), ("BS5 9DX", 361365, 173694)),  # E06000023, about 153.2 km
    "CT1": (("CT1 1YS", 615908, 158526), ("CT1 3BN", 615400, 157400), ("CT1 3EP", 615845, 156716)),  # E07000106, about 103.9 km
    "SS1": (("SS1 2AZ", 588180, 186223), ("SS1 2US", 588180, 186223), ("SS1 3QR", 591321, 186211)),  # E06000033, about 75.4 km
}
CENTRE = "TW3 1JJ"  # the borough's centre, for a child with no home postcode


def _grid() -> dict[str, tuple[int, int]]:
    out = dict(IN_BOROUGH)
    for table in (NEAR, FAR):
        for rows in table.values():
            out.update({postcode: (east, north) for postcode, east, north in rows})
    return out


GRID = _grid()


def district(postcode: str) -> str:
    return postcode.split()[0].upper() if " " in postcode else postcode[:-3].upper()


def real_postcode(postcode: str, avoid: str = "") -> str:
    """A real postcode in the borough in the same district as `postcode` (stable for the same input), not
    `avoid`."""
    if not postcode:
        return ""
    wanted = district(postcode)
    pool = [pc for pc in IN_BOROUGH if district(pc) == wanted] or [pc for pc in IN_BOROUGH if district(pc) == "TW3"]
    pick = zlib.crc32(postcode.encode()) % len(pool)
    for step in range(len(pool)):
        real = pool[(pick + step) % len(pool)]
        if real != avoid:
            return real
    return pool[0]


def outside(rng: random.Random, *, far: bool, avoid: str = "") -> str:
    """A real postcode outside the borough: near (a neighbouring area) or far."""
    table = FAR if far else NEAR
    while True:
        postcode = rng.choice(rng.choice(list(table.values())))[0]
        if postcode != avoid:
            return postcode


def km(home: str, placement: str) -> Decimal:
    """The straight-line distance between two known postcodes, in km to one decimal place."""
    (e1, n1), (e2, n2) = GRID.get(home) or GRID[CENTRE], GRID[placement]
    return Decimal(str(round(math.hypot(e1 - e2, n1 - n2) / 1000, 1)))
