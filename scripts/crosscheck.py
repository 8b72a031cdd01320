#!/usr/bin/env python3
"""Cross-check of piimap's accuracy on a corpus from a second, independent generator.

    python3 scripts/crosscheck.py --out /tmp/xc            # write the corpus, scan it, print P/R/F1
    python3 scripts/crosscheck.py --out /tmp/xc --markdown # the table for docs/accuracy.md
    python3 scripts/crosscheck.py --out /tmp/xc --phone-regions  # also: phone numbers per
                                                       # locale, default regions against
                                                       # --phone-regions <the locale's country>

`scripts/accuracy.py` writes the project's own labelled corpus, whose names, addresses and
layouts the detectors were developed against. This script measures how far that carries over
to data nobody tuned for: values come from Faker (its own name, street, city and company lists
for fifteen locales, its phone formats, its identifier generators), in Faker's own record shapes
(`profile()` records as JSON lines, with the address's line break inside the string), plus CSV
exports, logs and notes with Faker's lorem sentences, company names, catch phrases, job titles,
user agents, hashes, UUIDs, timestamps and random order numbers between them.

Truth does not come from piimap's rules either: a value is labelled only when an independent
oracle accepts it — python-stdnum for identifiers (its `is_valid`), phonenumbers (Google's
libphonenumber metadata) for phone numbers, Python's `ipaddress` for global IP addresses. What
the oracle rejects stays in the corpus unlabelled, as a hard negative (Faker's en_GB National
Insurance numbers all carry the unallocated `ZZ` prefix; many of its phone numbers have no valid
area code).

Faker, phonenumbers, python-stdnum and freezegun are installed, pinned, into a virtual
environment under `target/crosscheck-venv` when the running Python lacks them. Scoring is
`accuracy.py`'s.
"""

import argparse
import csv
import datetime as dt
import io
import ipaddress
import json
import os
import random
import re
import subprocess
import sys

PINNED = ["faker==40.63.0", "phonenumbers==9.0.43", "python-stdnum==2.2", "freezegun==1.5.5"]
HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(HERE, "..", "target", "crosscheck-venv")


def ensure_dependencies():
    """Re-runs this script under a virtual environment holding the pinned packages, if needed,
    and with string hashing fixed (some Faker providers pick from sets)."""
    try:
        import faker  # noqa: F401
        import freezegun  # noqa: F401
        import phonenumbers  # noqa: F401
        import stdnum  # noqa: F401
        if os.environ.get("PYTHONHASHSEED") != "0":
            env = dict(os.environ, PYTHONHASHSEED="0")
            os.execve(sys.executable, [sys.executable, os.path.abspath(__file__), *sys.argv[1:]], env)
        return
    except ImportError:
        pass
    python = os.path.join(VENV, "bin", "python")
    if os.environ.get("PIIMAP_CROSSCHECK_VENV"):
        sys.exit("crosscheck: the virtual environment lacks a package of: " + ", ".join(PINNED))
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    subprocess.run([python, "-m", "pip", "install", "-q", *PINNED], check=True)
    env = dict(os.environ, PIIMAP_CROSSCHECK_VENV="1", PYTHONHASHSEED="0")
    os.execve(python, [python, os.path.abspath(__file__), *sys.argv[1:]], env)


ensure_dependencies()

import phonenumbers  # noqa: E402
from faker import Faker  # noqa: E402
from freezegun import freeze_time  # noqa: E402
from stdnum import iban as std_iban  # noqa: E402
from stdnum import luhn  # noqa: E402
from stdnum.ca import sin  # noqa: E402
from stdnum.es import dni, nie  # noqa: E402
from stdnum.fi import hetu  # noqa: E402
from stdnum.fr import nir  # noqa: E402
from stdnum.in_ import aadhaar  # noqa: E402
from stdnum.it import codicefiscale  # noqa: E402
from stdnum.nl import bsn  # noqa: E402
from stdnum.no import fodselsnummer  # noqa: E402
from stdnum.pl import pesel  # noqa: E402
from stdnum.se import personnummer  # noqa: E402
from stdnum.tr import tckimlik  # noqa: E402
from stdnum.us import itin, ssn  # noqa: E402

sys.path.insert(0, HERE)
from accuracy import score  # noqa: E402

# locale -> (phone region, CSV header of the national ID column, keyword before it in notes,
#            generators of (detector, value) for the locale's identifiers, date formats)
LOCALES = {
    "en_US": ("US", "ssn", "SSN", lambda f: [("us_ssn", f.ssn()), ("us_itin", f.itin())], ["%m/%d/%Y", "%Y-%m-%d"]),
    "en_GB": ("GB", "ni_number", "NI number", lambda f: [("uk_nino", f.ssn())], ["%d/%m/%Y", "%d %B %Y"]),
    "en_CA": ("CA", "sin", "SIN", lambda f: [("ca_sin", f.ssn())], ["%Y-%m-%d"]),
    "en_AU": ("AU", None, None, lambda f: [], ["%d/%m/%Y"]),
    "en_IN": ("IN", "aadhaar", "Aadhaar", lambda f: [("in_aadhaar", f.aadhaar_id())], ["%d-%m-%Y", "%d/%m/%Y"]),
    "de_DE": ("DE", None, None, lambda f: [], ["%d.%m.%Y"]),
    "fr_FR": ("FR", "nir", "N° de sécurité sociale", lambda f: [("fr_nir", f.ssn())], ["%d/%m/%Y"]),
    "es_ES": ("ES", "dni", "DNI", lambda f: [("es_dni", f.nif()), ("es_dni", f.nie())], ["%d/%m/%Y"]),
    "it_IT": ("IT", "codice_fiscale", "Codice fiscale", lambda f: [("it_fiscal_code", f.ssn())], ["%d/%m/%Y"]),
    "nl_NL": ("NL", "bsn", "BSN", lambda f: [("nl_bsn", f.ssn())], ["%d-%m-%Y"]),
    "pl_PL": ("PL", "pesel", "PESEL", lambda f: [("pl_pesel", f.pesel())], ["%d.%m.%Y"]),
    "sv_SE": ("SE", "personnummer", "Personnummer", lambda f: [("se_personnummer", f.ssn())], ["%Y-%m-%d"]),
    "fi_FI": ("FI", "hetu", "Henkilötunnus", lambda f: [("fi_hetu", f.ssn())], ["%d.%m.%Y"]),
    "no_NO": ("NO", "fodselsnummer", "Fødselsnummer", lambda f: [("no_fodselsnummer", f.ssn())], ["%d.%m.%Y"]),
    "tr_TR": ("TR", "tc_kimlik_no", "TC Kimlik No", lambda f: [("tr_tckn", f.ssn())], ["%d.%m.%Y"]),
}

ORACLES = {
    "us_ssn": ssn.is_valid,
    "us_itin": itin.is_valid,
    "uk_nino": lambda v: False,  # no oracle; Faker's are all `ZZ…`, which HMRC never allocates
    "ca_sin": sin.is_valid,
    "in_aadhaar": aadhaar.is_valid,
    "fr_nir": nir.is_valid,
    "es_dni": lambda v: dni.is_valid(v) or nie.is_valid(v),
    "it_fiscal_code": codicefiscale.is_valid,
    "nl_bsn": bsn.is_valid,
    "pl_pesel": pesel.is_valid,
    "se_personnummer": personnummer.is_valid,
    "fi_hetu": hetu.is_valid,
    "no_fodselsnummer": fodselsnummer.is_valid,
    "tr_tckn": tckimlik.is_valid,
}

# Faker's `address()` for en_US sometimes writes military post (no street): `PSC 1234, Box 5678`,
# `Unit 1234 Box 5678`, `USNS Name` (an Australian `Unit 94 511 Bush Lane` is a flat).
MILITARY = re.compile(r"^(?:PSC \d+, Box|Unit \d+ Box|USNS |USS |USNV |USCGC )")


class Doc:
    """One file being written: its lines and the labels on them."""

    def __init__(self, path):
        self.path, self.lines, self.labels = path, [], []

    def add(self, text, *labels):
        """Adds a line (no line breaks inside) with its (detector, value) labels."""
        self.lines.append(text)
        for detector, value in labels:
            self.labels.append({"path": self.path, "line": len(self.lines), "detector": detector, "value": value})


def phone_labels(number, region):
    try:
        valid = phonenumbers.is_valid_number(phonenumbers.parse(number, region))
    except phonenumbers.NumberParseException:
        valid = False
    return [("phone", number)] if valid else []


def id_labels(detector, value):
    labels = [(detector, value)] if ORACLES[detector](value) else []
    # Faker's fallback `ssn()` (de_DE, es_ES, en_AU profiles) is US-shaped.
    if detector != "us_ssn" and ssn.is_valid(value) and len(value) == 11 and value[3] == "-":
        labels.append(("us_ssn", value))
    return labels


def card_labels(number):
    """A card number: Luhn, and for JCB (Faker: any `35…`) JCB's assigned range 3528–3589."""
    jcb_outside = number.startswith("35") and not 3528 <= int(number[:4]) <= 3589
    return [("credit_card", number)] if luhn.is_valid(number) and not jcb_outside else []


def ip_labels(value):
    return [("ip_address", value)] if ipaddress.ip_address(value).is_global else []


def street_labels(street):
    """A street with a house number (what a street-address detector can recognise; Faker also
    writes bare street names, flat numbers and building numbers on their own)."""
    words = street.replace(",", " ").split()
    numbered = any(any(c.isdigit() for c in w) for w in words)
    named = sum(any(c.isalpha() for c in w) and not w.rstrip(".").isupper() for w in words) >= 1
    lone_unit = words[:1] in (["Flat"], ["Studio"], ["Apt."], ["Suite"]) and len(words) <= 2
    if MILITARY.match(street) or not numbered or not named or lone_unit:
        return []
    return [("street_address", street)]


# RFC 2606 / RFC 6761 names: no one's mailbox (Faker's `email()` uses them by default).
RESERVED = ("example.com", "example.org", "example.net", ".example", ".test", ".invalid", ".localhost")


def email_labels(address):
    domain = address.rsplit("@", 1)[-1].lower()
    reserved = any(domain == r or domain.endswith(r if r.startswith(".") else "." + r) for r in RESERVED)
    return [] if reserved else [("email", address)]


def mac_labels(mac):
    """A globally unique (universally administered, unicast) hardware address: Faker draws
    random first octets, and piimap, by design, leaves out locally administered (randomised,
    virtual) and multicast addresses."""
    first = int(mac.split(":")[0], 16)
    return [] if first & 0b11 else [("mac_address", mac)]


def one_line(text):
    return " ".join(text.split())


# Fixed ranges, not Faker's defaults, which count from today (and the clock frozen while the corpus
# is written, for the identifier generators that count from today themselves): the same seed
# gives the same corpus on any day.
def birth_date(f):
    return f.date_between(dt.date(1931, 1, 1), dt.date(2006, 12, 31))


def moment(f):
    return f.date_time_between(dt.datetime(2015, 1, 1), dt.datetime(2026, 1, 1))


def negative(f, rng):
    """A line that holds no personal data, in Faker's words."""
    return rng.choice([
        lambda: f.sentence(nb_words=rng.randint(6, 14)),
        lambda: f.text(max_nb_chars=160).replace("\n", " "),
        lambda: f"{f.company()} — {f.catch_phrase()}",
        lambda: f"Position open: {f.job()} at {f.company()}",
        lambda: f"{moment(f).isoformat()} GET {f.uri()} 200 {rng.randint(200, 90000)} \"{f.user_agent()}\"",
        lambda: f"build {f.sha1()} deployed {moment(f).isoformat()}",
        lambda: f"request_id={f.uuid4()} latency_ms={rng.randint(1, 4000)}",
        lambda: f"Order #{f.random_number(digits=9, fix_len=True)} shipped, tracking {f.bothify('1Z###?##########')}",
        lambda: f"EAN {f.ean13()}, ISBN {f.isbn13()}, md5 {f.md5()}",
        lambda: f"{f.city()}, {f.country()}: {f.sentence(nb_words=6)}",
    ])()


def person(f, rng, locale):
    """A person's record: name, contact, address, birth date and identifiers, with labels."""
    region, _, _, ids, formats = LOCALES[locale]
    name = f.name() if rng.random() < 0.7 else f"{f.first_name()} {f.last_name()}"
    dob = birth_date(f)
    street = one_line(f.street_address())
    rec = {
        "name": name,
        "email": f.email() if rng.random() < 0.6 else f.free_email(),
        "phone": f.phone_number(),
        "street": street,
        "postcode": f.postcode(),
        "city": f.city(),
        "dob": dob.strftime(rng.choice(formats)),
        "ids": ids(f),
        "card": f.credit_card_number(),
        "iban": f.iban(),
        "company": f.company(),
        "job": f.job(),
    }
    rec["phone_labels"] = phone_labels(rec["phone"], region)
    return rec


def customers_csv(f, rng, locale, doc, rows):
    _, id_column, _, _, _ = LOCALES[locale]
    header = ["id", "full_name", "email", "phone", "street", "postcode", "city", "birthdate", "company", "job_title"]
    if id_column:
        header.append(id_column)
    delimiter = rng.choice([",", ";"])

    def line(cells):
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator="").writerow(cells)
        return out.getvalue()

    doc.add(line(header))
    for i in range(rows):
        p = person(f, rng, locale)
        cells = [str(1000 + i), p["name"], p["email"], p["phone"], p["street"], p["postcode"], p["city"], p["dob"],
                 p["company"], p["job"]]
        labels = [("person_name", p["name"]), *email_labels(p["email"]), *p["phone_labels"],
                  *street_labels(p["street"]), ("date_of_birth", p["dob"])]
        if id_column:
            detector, value = p["ids"][0]
            cells.append(value)
            labels += id_labels(detector, value)
        doc.add(line(cells), *labels)


def profiles_jsonl(f, rng, locale, doc, rows):
    for _ in range(rows):
        prof = f.profile()
        prof.pop("current_location", None)
        prof["birthdate"] = birth_date(f).isoformat()
        labels = [("person_name", prof["name"]), *email_labels(prof["mail"]), ("date_of_birth", prof["birthdate"])]
        for key in ("address", "residence"):
            # Faker's address: the street line (after a flat line in en_GB), then postcode
            # and town.
            parts = prof[key].split("\n")
            unit = parts[0].split()[:1] in (["Flat"], ["Studio"]) and len(parts[0].split()) <= 2
            labels += street_labels(parts[1] if unit and len(parts) > 1 else parts[0])
        # Faker names the identifier `ssn` whatever the locale; it goes under the locale's own
        # field name (as in the CSV export) where Faker writes the locale's identifier there.
        own = LOCALES[locale][3](f)
        id_column = LOCALES[locale][1]
        if own and id_column and ORACLES[own[0][0]](prof["ssn"]):
            prof[id_column] = prof.pop("ssn")
            labels += id_labels(own[0][0], prof[id_column])
        else:
            labels += id_labels("us_ssn", prof["ssn"])
        doc.add(json.dumps(prof, ensure_ascii=rng.random() < 0.3), *labels)


def notes_txt(f, rng, locale, doc, lines):
    _, _, keyword, _, _ = LOCALES[locale]
    for _ in range(lines):
        if rng.random() < 0.45:
            doc.add(one_line(negative(f, rng)))
            continue
        p = person(f, rng, locale)
        kind = rng.randrange(9)
        if kind == 0:
            doc.add(f"From: {p['name']} <{p['email']}>", ("person_name", p["name"]), *email_labels(p["email"]))
        elif kind == 1:
            doc.add(f"Tel. {p['phone']}", *p["phone_labels"])
        elif kind == 2:
            # A postal address whatever the street looks like: postcode and town follow.
            doc.add(f"Ship to: {p['street']}, {p['postcode']} {p['city']}", ("street_address", p["street"]))
        elif kind == 3 and keyword and p["ids"]:
            detector, value = rng.choice(p["ids"])
            doc.add(f"{'ITIN' if detector == 'us_itin' else keyword}: {value}", *id_labels(detector, value))
        elif kind == 4:
            expires = f.date_between(dt.date(2027, 1, 1), dt.date(2033, 12, 31)).strftime("%m/%y")
            doc.add(f"Paid with card {p['card']}, expires {expires}", *card_labels(p["card"]))
        elif kind == 5:
            labels = [("iban", p["iban"])] if std_iban.is_valid(p["iban"]) else []
            doc.add(f"Refund to IBAN {p['iban']}", *labels)
        elif kind == 6:
            doc.add(f"{p['name']}, date of birth {p['dob']}", ("person_name", p["name"]), ("date_of_birth", p["dob"]))
        elif kind == 7:
            v4, v6, mac = f.ipv4_public(), f.ipv6(), f.mac_address()
            doc.add(f"login from {v4} ({v6}), device MAC {mac}", *ip_labels(v4), *ip_labels(v6), *mac_labels(mac))
        else:
            doc.add(f"{p['company']}: {p['job']} — {f.catch_phrase()}")


def generate(out, seed, rows):
    labels = []
    rng = random.Random(seed)
    for n, locale in enumerate(LOCALES):
        f = Faker(locale)
        f.seed_instance(seed * 1000 + n)
        for name, writer in (("customers.csv", customers_csv), ("profiles.jsonl", profiles_jsonl),
                             ("notes.txt", notes_txt)):
            doc = Doc(f"{locale}/{name}")
            writer(f, rng, locale, doc, rows)
            os.makedirs(os.path.join(out, locale), exist_ok=True)
            with open(os.path.join(out, doc.path), "w", encoding="utf-8", newline="\n") as fh:
                fh.write("\n".join(doc.lines) + "\n")
            labels += doc.labels
    with open(os.path.join(out, "labels.jsonl"), "w", encoding="utf-8") as fh:
        for lab in labels:
            fh.write(json.dumps(lab, ensure_ascii=False) + "\n")
    return labels


def phone_regions(out, binary):
    """Phone precision and recall per locale, by (file, line): each locale's directory scanned
    with `--only phone`, once with the default regions and once with `--phone-regions` set to
    the locale's country, as a user who knows where the data comes from would."""
    truth = {}
    for line in open(os.path.join(out, "labels.jsonl"), encoding="utf-8"):
        lab = json.loads(line)
        if lab["detector"] == "phone":
            truth.setdefault(lab["path"].split("/")[0], set()).add((lab["path"], lab["line"]))
    totals = {False: [0, 0, 0], True: [0, 0, 0]}

    def pr(tp, fp, fn):
        return f"{tp / max(1, tp + fp):.3f} / {tp / max(1, tp + fn):.3f}"

    print("\n| locale | default regions P / R | `--phone-regions` P / R |\n|---|---|---|")
    for locale, spec in LOCALES.items():
        row = []
        for regions in (False, True):
            extra = ["--phone-regions", spec[0]] if regions else []
            proc = subprocess.run([binary, "scan", os.path.join(out, locale), "-f", "jsonl", "--no-store",
                                   "-q", "--fail-on", "never", "--only", "phone", *extra],
                                  capture_output=True, text=True, check=True)
            found = set()
            for line in proc.stdout.splitlines():
                f = json.loads(line)
                found.add((os.path.relpath(f["location"]["path"], out), f["location"]["line"]))
            t = truth.get(locale, set())
            counts = [len(found & t), len(found - t), len(t - found)]
            totals[regions] = [a + b for a, b in zip(totals[regions], counts)]
            row.append(pr(*counts))
        print(f"| {locale} ({spec[0]}) | {row[0]} | {row[1]} |")
    print(f"| all | {pr(*totals[False])} | {pr(*totals[True])} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="directory for the corpus (written afresh)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rows", type=int, default=200, help="rows per file (three files per locale)")
    ap.add_argument("--bin", default=os.path.join(HERE, "..", "target", "release", "piimap"))
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--phone-regions", action="store_true",
                    help="also score phone numbers per locale with --phone-regions set to its country")
    a = ap.parse_args()
    if os.path.exists(os.path.join(a.out, "labels.jsonl")):
        import shutil
        shutil.rmtree(a.out)
    with freeze_time("2026-01-01 12:00:00"):
        labels = generate(a.out, a.seed, a.rows)
    print(f"corpus: {a.out}, {len(labels)} labels, seed {a.seed}, {', '.join(PINNED)}\n")
    score(a.out, a.bin, a.markdown)
    if a.phone_regions:
        phone_regions(a.out, a.bin)


if __name__ == "__main__":
    main()
