#!/usr/bin/env python3
"""Rebuilds the first-name and surname lists in detectors/lists/ from their sources.

    pip download --no-deps names==0.3.0 faker==40.63.0 -d /tmp/namesrc
    (cd /tmp/namesrc && tar xzf names-0.3.0.tar.gz && unzip -q faker-*.whl -d faker)
    python3 scripts/name_lists.py --names /tmp/namesrc/names-0.3.0 --faker /tmp/namesrc/faker

Only data is copied, never code. Sources and licences are recorded in detectors/lists/README.md:
- US Census Bureau 1990 name files (public domain, a work of the US government), as shipped by
  the PyPI package `names` 0.3.0: dist.male.first, dist.female.first, dist.all.last.
- Faker's per-locale person providers (MIT licence, (c) Daniele Faraglia and contributors),
  which compile national statistics offices' and civil registries' published lists.

Only Latin-script names are kept (the detector matches Latin capitalisation); multi-word entries
("de Vries") contribute their capitalised words; particles (van, de, ...) are left out because
the detector knows them structurally. Standard library only; same input, same bytes.
"""

import argparse
import importlib
import os
import sys
import unicodedata

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "detectors", "lists")
PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "del", "della", "le", "la", "ter", "ten",
             "zu", "dos", "das", "y", "bin", "ibn", "al", "el", "mac", "st", "st."}
# Faker locales whose lists are in Latin script (or have romanised lists), grouped by culture.
LOCALES = ["en", "en_US", "en_GB", "en_IE", "ga_IE", "en_NZ", "en_IN", "en_PK", "en_KE", "en_NG", "en_TH",
           "yo_NG", "ig_NG", "ha_NG", "tw_GH", "zu_ZA", "sw",
           "de_DE", "de_AT", "de_CH", "de_LI", "de_LU", "fr_FR", "fr_BE", "fr_CH", "fr_CA", "fr_DZ",
           "es_ES", "es_MX", "es_AR", "es_CO", "es_CL", "es_CA", "it_IT", "nl_NL", "nl_BE", "pt_PT", "pt_BR",
           "pl_PL", "cs_CZ", "sk_SK", "sl_SI", "hr_HR", "hu_HU", "ro_RO", "sv_SE", "da_DK", "no_NO", "fi_FI",
           "is_IS", "et_EE", "lt_LT", "lv_LV", "tr_TR", "az_AZ", "uz_UZ", "id_ID", "vi_VN", "ja_JP", "zh_CN",
           "zh_TW"]
PER_LOCALE = 1500


def latin(word):
    for ch in word:
        if ch in "'-’":
            continue
        if not ch.isalpha() or "LATIN" not in unicodedata.name(ch, ""):
            return False
    return True


def words_of(entry):
    out = []
    for w in entry.replace("’", "'").split():
        w = w.strip(".,")
        if len(w) < 2 or w.lower() in PARTICLES or not latin(w) or not w[0].isupper():
            continue
        out.append(w)
    return out


def census(path, limit):
    names = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if parts:
                names.append(parts[0].title())
            if len(names) >= limit:
                break
    return names


def faker_lists(root, locale, kind):
    sys.path.insert(0, root)
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    attrs = sorted(a for a in dir(provider) if a.endswith("names") or "_names_" in a)
    seen, out = set(), []
    for a in attrs:
        if "kana" in a or "pairs" in a or "format" in a:
            continue
        is_first = a.startswith("first_")
        is_last = "last_names" in a
        if (kind == "first" and not is_first) or (kind == "last" and not is_last):
            continue
        # Romanised lists only where the main list is in another script.
        if locale in ("ja_JP", "zh_CN", "zh_TW") and "romanized" not in a:
            continue
        value = getattr(provider, a)
        if not isinstance(value, (list, tuple, dict)):
            continue
        items = list(value.keys()) if isinstance(value, dict) else list(value)
        for item in items:
            for w in words_of(str(item)):
                if w not in seen:
                    seen.add(w)
                    out.append(w)
    return out[:PER_LOCALE]


def write(path, header, sections):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    seen = set()
    with open(path, "w", encoding="utf-8") as f:
        f.write(header)
        for title, names in sections:
            fresh = [n for n in names if n.lower() not in seen]
            seen.update(n.lower() for n in fresh)
            if fresh:
                f.write(f"# {title}\n")
                f.write("\n".join(fresh) + "\n")
    return len(seen)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--names", required=True, help="unpacked PyPI `names` 0.3.0 sdist")
    ap.add_argument("--faker", required=True, help="unpacked PyPI `faker` wheel")
    a = ap.parse_args()
    d = os.path.join(a.names, "names")
    census_hdr = ("# US Census Bureau, 1990 census name files (public domain: a work of the US government),\n"
                  "# as shipped by the PyPI package `names` 0.3.0. Generated by scripts/name_lists.py.\n")
    n = write(os.path.join(OUT, "first_names", "us_census_1990.txt"), census_hdr,
              [("dist.male.first (all)", census(os.path.join(d, "dist.male.first"), 10**6)),
               ("dist.female.first (top 2500)", census(os.path.join(d, "dist.female.first"), 2500))])
    print(f"first_names/us_census_1990.txt: {n}")
    n = write(os.path.join(OUT, "surnames", "us_census_1990.txt"), census_hdr,
              [("dist.all.last (top 5000)", census(os.path.join(d, "dist.all.last"), 5000))])
    print(f"surnames/us_census_1990.txt: {n}")
    faker_hdr = ("# Faker person providers (PyPI `faker` 40.63.0), MIT licence, Copyright (c) 2012 Daniele\n"
                 "# Faraglia and contributors; each locale's list cites its public source (national statistics\n"
                 "# offices, civil registries, Wikipedia lists). Latin script only, at most %d per locale.\n"
                 "# Generated by scripts/name_lists.py; names already listed by an earlier locale are omitted.\n"
                 % PER_LOCALE)
    for kind, sub in (("first", "first_names"), ("last", "surnames")):
        sections = [(f"faker {loc}", faker_lists(a.faker, loc, kind)) for loc in LOCALES]
        n = write(os.path.join(OUT, sub, "faker.txt"), faker_hdr, sections)
        print(f"{sub}/faker.txt: {n}")


if __name__ == "__main__":
    main()
