#!/usr/bin/env python3
"""Deterministic, labelled test data for piimap.

    python3 scripts/gen_corpus.py examples --out examples/share   # the README demo share
    python3 scripts/gen_corpus.py corpus --out DIR --size 1G      # throughput/accuracy corpus
    python3 scripts/gen_corpus.py selftest                        # checks the value generators

Every planted value is written to a truth file (`labels.jsonl` at the corpus root; for the
example share `examples/share.labels.jsonl`, so the share holds only "real" files):
{"path": <relative path>, "line": <1-based line in the decoded text>, "detector": <id>,
 "value": <as written>}. Hard negatives (checksum-failing look-alikes, timestamps, versions,
UUIDs, hashes, order numbers, private IPs, example.com addresses) are planted unlabelled.

Standard library only; no wall clock (ages are relative to 2026-01-01); same seed, same bytes.
"""

import argparse
import datetime as dt
import gzip
import json
import os
import random
import sys

TODAY = dt.date(2026, 1, 1)

FIRST = ["Jane", "John", "Anna", "Lukas", "Sophie", "Mohammed", "Emma", "Noah", "Léa", "Jörg", "Chloé", "Pablo",
         "Lucía", "Giulia", "Marco", "Sanne", "Daan", "Fatima", "Oliver", "Amelia", "Mia", "Hugo", "Zoë", "Ines",
         "Mateo", "Olga", "Piotr", "Aisha", "Kenji", "Priya"]
LAST = ["Doe", "Smith", "Müller", "Schmidt", "Dupont", "Martin", "García", "Fernández", "Rossi", "Bianchi",
        "de Vries", "Jansen", "Bakker", "Nowak", "Kowalski", "O'Brien", "Murphy", "Khan", "Patel", "Nguyen",
        "Brown", "Wilson", "Lefèvre", "Weber", "Rodríguez", "Romano", "Visser", "Svensson", "Hansen", "Costa"]
DOMAINS = ["gmail.com", "outlook.com", "yahoo.co.uk", "web.de", "gmx.de", "orange.fr", "free.fr", "ziggo.nl",
           "telefonica.es", "libero.it", "acme-corp.co.uk", "contoso.de", "initech.com", "globex.fr", "posteo.de",
           "hotmail.es", "icloud.com", "proton.me", "kpnmail.nl", "wanadoo.fr"]
WORDS = ("the customer asked about the delivery of order status please update account thanks report meeting "
         "invoice attached regards team schedule issue resolved pending review shipment warehouse refund "
         "request access password reset laptop printer office building floor project budget quarter").split()


def luhn_digit(body):
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(digits):
    return luhn_digit(digits[:-1]) == digits[-1]


IBAN_SHAPES = {  # country: BBAN template (9 digit, A letter, X alnum)
    "DE": "999999999999999999", "FR": "9999999999XXXXXXXXXXX99", "GB": "AAAA99999999999999"[:18],
    "NL": "AAAA9999999999", "ES": "99999999999999999999", "IT": "A9999999999XXXXXXXXXXXX",
    "BE": "999999999999", "AT": "9999999999999999", "CH": "99999XXXXXXXXXXXX", "PL": "999999999999999999999999",
    "SE": "99999999999999999999",
}
IBAN_LEN = {"DE": 22, "FR": 27, "GB": 22, "NL": 18, "ES": 24, "IT": 27, "BE": 16, "AT": 20, "CH": 21, "PL": 28, "SE": 24}


def iban_check(country, bban):
    s = bban + country + "00"
    n = int("".join(str(int(c, 36)) for c in s))
    return "%02d" % (98 - n % 97)


def iban_mod_ok(iban):
    s = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in s)) % 97 == 1


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def choice(self, xs):
        return self.r.choice(xs)

    def digits(self, n):
        return "".join(self.r.choice("0123456789") for _ in range(n))

    def name(self):
        return self.choice(FIRST), self.choice(LAST)

    def email(self, first=None, last=None):
        first, last = first or self.choice(FIRST), last or self.choice(LAST)
        ascii = lambda s: s.lower().translate(str.maketrans("éèëöüäçíáóñàô'", "eeeouaciaonao ")).replace(" ", "")
        f, l = ascii(first), ascii(last)
        local = self.choice([f"{f}.{l}", f"{f[0]}{l}", f"{f}_{l}{self.r.randint(1, 99)}", f"{f}.{l}+news", f"{l}.{f}"])
        return f"{local}@{self.choice(DOMAINS)}"

    def card(self):
        kind = self.choice(["visa", "mc", "mc2", "amex", "disc"])
        prefix, n = {"visa": ("4", 16), "mc": (str(self.r.randint(51, 55)), 16), "mc2": (str(self.r.randint(2221, 2720)), 16),
                     "amex": (self.choice(["34", "37"]), 15), "disc": (self.choice(["6011", "65"]), 16)}[kind]
        body = prefix + self.digits(n - 1 - len(prefix))
        pan = body + luhn_digit(body)
        if len(set(pan)) == 1:
            return self.card()
        style = self.r.random()
        if n == 15:
            return pan if style < 0.4 else f"{pan[:4]} {pan[4:10]} {pan[10:]}"
        if style < 0.35:
            return pan
        sep = " " if style < 0.75 else "-"
        return sep.join(pan[i:i + 4] for i in range(0, 16, 4))

    def bad_card(self):
        body = "4" + self.digits(14)
        good = luhn_digit(body)
        return body + str((int(good) + self.r.randint(1, 9)) % 10)

    def iban(self, grouped=None, bad=False):
        cc = self.choice(list(IBAN_SHAPES))
        bban = "".join(self.choice("0123456789") if t == "9" else self.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
                       if t == "A" else self.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for t in IBAN_SHAPES[cc])
        check = iban_check(cc, bban)
        if bad:
            check = "%02d" % ((int(check) + self.r.randint(1, 50)) % 97 or 3)
        iban = cc + check + bban
        assert len(iban) == IBAN_LEN[cc], (cc, iban)
        if grouped is None:
            grouped = self.r.random() < 0.5
        return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4)) if grouped else iban

    def ssn(self, sep="-"):
        while True:
            area, group, serial = self.r.randint(1, 899), self.r.randint(1, 99), self.r.randint(1, 9999)
            if area == 666:
                continue
            s = f"{area:03d}{sep}{group:02d}{sep}{serial:04d}"
            if s.replace(sep, "") not in ("078051120", "219099999", "457555462", "123456789"):
                return s

    def bad_ssn(self):
        area = self.choice(["000", "666", str(self.r.randint(900, 999))])
        return f"{area}-{self.r.randint(10, 99)}-{self.r.randint(1000, 9999)}"

    def phone_intl(self):
        kind = self.choice(["us", "gb", "de", "fr", "nl", "es"])
        if kind == "us":
            npa, nxx = self.choice(["212", "415", "646", "312", "617", "206", "305", "512", "720", "202"]), str(self.r.randint(201, 999))
            if nxx.endswith("11") or nxx == "555":
                nxx = "734"
            line = self.digits(4)
            return self.choice([f"+1 {npa} {nxx} {line}", f"+1-{npa}-{nxx}-{line}", f"+1 ({npa}) {nxx}-{line}", f"+1.{npa}.{nxx}.{line}"])
        if kind == "gb":
            # Allocated mobile ranges (libphonenumber: 7911 is allocated only as 79110, 79112
            # and 79118, so the `+44 7911 …` numbers of older corpora were mostly invalid).
            mid = self.choice(["7922", "7400", "7520", "7766", "7812"])
            rest = self.digits(6)
            return self.choice([f"+44 {mid} {rest}", f"+44{mid}{rest}", f"0044 {mid} {rest[:3]} {rest[3:]}"])
        if kind == "de":
            pre = self.choice(["151", "160", "170", "171", "176"])
            rest = self.digits(8 if pre in ("151", "176", "171") else 7)
            return self.choice([f"+49 {pre} {rest}", f"+49 (0){pre} {rest}", f"+49-{pre}-{rest}"])
        if kind == "fr":
            # `639` is not an allocated mobile range.
            d = self.choice(["6" + self.choice("01245678") + self.digits(7), "7" + self.choice("345678") + self.digits(7)])
            return self.choice([f"+33 {d[0]} {d[1:3]} {d[3:5]} {d[5:7]} {d[7:]}", f"+33{d}", f"+33 (0){d[0]} {d[1:3]} {d[3:5]} {d[5:7]} {d[7:]}"])
        if kind == "nl":
            d = "6" + self.choice("12345") + self.digits(7)
            return self.choice([f"+31 {d[0]} {d[1:]}", f"+31-{d[0]}-{d[1:5]}-{d[5:]}"])
        d = self.choice(["6" + self.digits(8), "7" + self.choice("1234") + self.digits(7)])
        return self.choice([f"+34 {d[:3]} {d[3:6]} {d[6:]}", f"+34{d}"])

    def phone_national(self):
        return self.choice([
            f"(415) {self.r.randint(201, 549)}-{self.digits(4)}",
            f"020 7{self.digits(3)} {self.digits(4)}",
            f"030 {self.r.randint(2, 9)}{self.digits(7)}",
            f"06 {self.digits(2)} {self.digits(2)} {self.digits(2)} {self.digits(2)}",
        ])

    def dob(self):
        age_days = self.r.randint(18 * 365, 90 * 365)
        d = TODAY - dt.timedelta(days=age_days)
        months = {"en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
                  "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
                  "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
                  "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"]}
        fmt = self.r.randint(0, 8)
        if fmt == 0:
            return d.isoformat()
        if fmt == 1:
            return d.strftime("%d/%m/%Y")
        if fmt == 2:
            return d.strftime("%m/%d/%Y")
        if fmt == 3:
            return d.strftime("%d.%m.%Y")
        if fmt == 4:
            return f"{d.day} {months['en'][d.month - 1]} {d.year}"
        if fmt == 5:
            return f"{months['en'][d.month - 1]} {d.day}, {d.year}"
        if fmt == 6:
            return f"{d.day}. {months['de'][d.month - 1]} {d.year}"
        if fmt == 7:
            return f"{d.day} {months['fr'][d.month - 1]} {d.year}"
        return f"{d.day} de {months['es'][d.month - 1]} de {d.year}"

    def ipv4(self):
        while True:
            a = self.r.randint(1, 223)
            b, c, d = self.r.randint(0, 255), self.r.randint(0, 255), self.r.randint(1, 254)
            if a in (10, 127, 0, 100, 169, 172, 192, 198, 203):
                continue
            return f"{a}.{b}.{c}.{d}"

    def ipv6(self):
        head = self.choice(["2a02", "2a00", "2a01", "2604", "2607", "2001:4860", "2a03"])
        groups = [f"{self.r.randint(0, 0xffff):x}" for _ in range(3)]
        return self.choice([f"{head}:{groups[0]}:{groups[1]}::{groups[2]}", f"{head}:{':'.join(groups)}:0:0:{self.r.randint(1, 0xffff):x}" if ":" in head else f"{head}:{':'.join(groups)}:0:0:0:{self.r.randint(1, 0xffff):x}"])

    def private_ip(self):
        return self.choice([f"10.{self.r.randint(0, 255)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}",
                            f"192.168.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}", "127.0.0.1",
                            f"172.{self.r.randint(16, 31)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}"])

    def timestamp(self):
        return (dt.datetime(2023, 1, 1) + dt.timedelta(seconds=self.r.randint(0, 3 * 365 * 86400))).isoformat() + "Z"

    def uuid(self):
        h = "%032x" % self.r.getrandbits(128)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def version(self):
        return f"{self.r.randint(1, 20)}.{self.r.randint(0, 30)}.{self.r.randint(0, 200)}.{self.r.randint(0, 9999)}"

    def words(self, n):
        return " ".join(self.choice(WORDS) for _ in range(n))


class Doc:
    """A text file being built, with labels at (line, detector)."""

    def __init__(self, path):
        self.path, self.lines, self.labels = path, [], []

    def add(self, text, *labels):
        """Adds one line; `labels` are (detector, value) pairs found on it."""
        assert "\n" not in text
        self.lines.append(text)
        for det, val in labels:
            assert val in text, (val, text)
            self.labels.append({"path": self.path, "line": len(self.lines), "detector": det, "value": val})

    def text(self):
        return "\n".join(self.lines) + "\n"


# ---- document templates: each fills a Doc; g is the Gen -------------------------------------

def employees_csv(g, doc, rows):
    doc.add("id,first_name,last_name,email,phone,date_of_birth,iban,ssn,department")
    for i in range(rows):
        f, l = g.name()
        e, p, d, ib, s = g.email(f, l), g.phone_intl(), g.dob(), g.iban(grouped=False), g.ssn()
        dept = g.choice(["Sales", "HR", "IT", "Finance", "Ops"])
        dq = f'"{d}"' if "," in d else d  # a well-formed CSV quotes a cell holding the delimiter
        doc.add(f"{1000 + i},{f},{l},{e},{p},{dq},{ib},{s},{dept}", ("person_name", f"{f},{l}"),
                ("email", e), ("phone", p), ("date_of_birth", d), ("iban", ib), ("us_ssn", s))


def payroll_tsv(g, doc, rows):
    doc.add("employee\tiban\tgross\tnet\tpay_date")
    for i in range(rows):
        f, l = g.name()
        ib = g.iban()
        pay = g.timestamp()[:10]
        doc.add(f"{f} {l}\t{ib}\t{g.r.randint(2000, 9000)}.00\t{g.r.randint(1500, 6000)}.00\t{pay}",
                ("person_name", f"{f} {l}"), ("iban", ib))


def ticket(g, doc):
    f, l = g.name()
    e = g.email(f, l)
    doc.add(f"From: {f} {l} <{e}>", ("person_name", f"{f} {l}"), ("email", e))
    doc.add(f"Subject: {g.words(4).capitalize()}")
    doc.add(f"Date: {g.timestamp()}")
    doc.add("")
    doc.add(f"Hello support, {g.words(10)}.")
    for _ in range(g.r.randint(2, 5)):
        k = g.r.randint(0, 9)
        if k == 0:
            c = g.card()
            doc.add(f"Please charge my card {c} for the renewal.", ("credit_card", c))
        elif k == 1:
            p = g.phone_intl()
            doc.add(f"You can reach me on {p} after 5pm.", ("phone", p))
        elif k == 2:
            p = g.phone_national()
            doc.add(f"My phone: {p}", ("phone", p))
        elif k == 3:
            d = g.dob()
            doc.add(f"For verification, my date of birth is {d}.", ("date_of_birth", d))
        elif k == 4:
            ib = g.iban(grouped=True)
            doc.add(f"Refund to IBAN {ib} please.", ("iban", ib))
        elif k == 5:
            doc.add(f"Order #{g.digits(8)} tracking {g.digits(16)} was {g.choice(['late', 'damaged', 'lost'])}.")
        elif k == 6:
            s = g.ssn()
            doc.add(f"Employment form: SSN {s}", ("us_ssn", s))
        elif k == 7:
            doc.add(f"Ticket ref {g.uuid()}, {g.words(6)}.")
        else:
            doc.add(g.words(14).capitalize() + ".")
    doc.add("")
    doc.add(f"Thanks, {f}")


def app_log(g, doc, lines):
    for _ in range(lines):
        k = g.r.randint(0, 19)
        ts = g.timestamp()
        if k == 0:
            ip = g.ipv4()
            doc.add(f"{ts} INFO client={ip} GET /api/v2/orders/{g.digits(6)} 200 {g.r.randint(2, 900)}ms", ("ip_address", ip))
        elif k == 1:
            ip = g.ipv6()
            doc.add(f"{ts} WARN login failed for remote {ip} attempt={g.r.randint(1, 5)}", ("ip_address", ip))
        elif k == 2:
            e = g.email()
            doc.add(f"{ts} INFO password reset requested user={e}", ("email", e))
        elif k == 3:
            doc.add(f"{ts} DEBUG upstream {g.private_ip()}:8080 healthy build {g.version()}")
        elif k == 4:
            doc.add(f"{ts} INFO deployed version {g.version()} sha={'%040x' % g.r.getrandbits(160)}")
        elif k == 5:
            doc.add(f"{ts} INFO job finished epoch_ms={g.r.randint(1_600_000_000_000, 1_800_000_000_000)} items={g.r.randint(1, 99999)}")
        elif k == 6:
            doc.add(f"{ts} INFO notify admin@example.com about queue depth {g.r.randint(0, 500)}")
        else:
            doc.add(f"{ts} INFO req={g.uuid()} {g.choice(['GET', 'POST', 'PUT'])} /api/v2/items/{g.digits(5)} {g.choice([200, 201, 204, 404, 500])} {g.r.randint(1, 999)}ms")


def json_log(g, doc, lines):
    for _ in range(lines):
        rec = {"ts": g.timestamp(), "level": g.choice(["info", "warn", "error"]), "request_id": g.uuid()}
        labels = []
        k = g.r.randint(0, 5)
        if k == 0:
            f, l = g.name()
            rec["user"] = {"email": g.email(f, l), "name": f"{f} {l}"}
            labels += [("email", rec["user"]["email"]), ("person_name", rec["user"]["name"])]
        elif k == 1:
            rec["client_ip"] = g.ipv4()
            labels.append(("ip_address", rec["client_ip"]))
        elif k == 2:
            rec["order_id"] = g.digits(10)
            rec["amount"] = round(g.r.random() * 500, 2)
        else:
            rec["msg"] = g.words(6)
            rec["duration_ms"] = g.r.randint(1, 5000)
        doc.add(json.dumps(rec, ensure_ascii=False), *labels)


def invoices_csv(g, doc, rows):
    doc.add("invoice_no;date;customer;iban;amount;currency")
    for _ in range(rows):
        bad = g.r.random() < 0.2
        ib = g.iban(bad=bad)
        f, l = g.name()
        line = f"INV-{g.digits(6)};{g.timestamp()[:10]};{f} {l};{ib};{g.r.randint(10, 9999)},{g.digits(2)};EUR"
        doc.add(line, ("person_name", f"{f} {l}"), *([] if bad else [("iban", ib)]))


def newsletter_csv(g, doc, rows):
    doc.add("email,signup_date,consent,source_ip")
    for _ in range(rows):
        e, ip = g.email(), g.ipv4()
        doc.add(f"{e},{g.timestamp()[:10]},{g.choice(['yes', 'no'])},{ip}", ("email", e), ("ip_address", ip))


def config_file(g, doc):
    doc.add("[server]")
    doc.add(f"listen = 0.0.0.0:{g.r.randint(1024, 9999)}")
    doc.add(f"upstream = {g.private_ip()}")
    doc.add(f"version = {g.version()}")
    doc.add("admin_email = ops@example.com")
    doc.add(f"timeout_ms = {g.r.randint(100, 30000)}")
    doc.add(f"instance_id = {g.uuid()}")


def prose(g, doc, lines):
    for _ in range(lines):
        doc.add(g.words(g.r.randint(8, 16)).capitalize() + ".")


# ---- outputs -------------------------------------------------------------------------------

def write_doc(root, doc, labels, encoding="utf-8", compress=False):
    path = os.path.join(root, doc.path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = doc.text().encode(encoding)
    if encoding == "utf-16":  # Python writes a BOM (little-endian on this platform) first
        pass
    if compress:
        data = gzip.compress(data, mtime=0)
    with open(path, "wb") as f:
        f.write(data)
    labels.extend(doc.labels)


def gen_examples(out):
    g = Gen(2026)
    labels = []
    docs = []
    d = Doc("hr/employees.csv"); employees_csv(g, d, 25); docs.append(d)
    d = Doc("hr/payroll/payroll_2019.tsv"); payroll_tsv(g, d, 15); docs.append(d)
    for n in (1042, 1043, 1057, 1101):
        d = Doc(f"support/tickets/2024/ticket-{n}.txt"); ticket(g, d); docs.append(d)
    d = Doc("support/export.jsonl"); json_log(g, d, 60); docs.append(d)
    d = Doc("it/logs/app.log"); app_log(g, d, 150); docs.append(d)
    d = Doc("it/config/app.ini"); config_file(g, d); docs.append(d)
    d = Doc("finance/invoices/2023/invoices_q4.csv"); invoices_csv(g, d, 20); docs.append(d)
    d = Doc("marketing/newsletter_signups.csv"); newsletter_csv(g, d, 30); docs.append(d)
    d = Doc("legal/README.md"); d.add("# Legal"); prose(g, d, 12); docs.append(d)
    d = Doc(".secret_notes.txt"); ticket(g, d); docs.append(d)
    for doc in docs:
        write_doc(out, doc, labels)
    # UTF-16LE with BOM.
    d = Doc("notes/meeting_notes_utf16.txt")
    f, l = g.name(); e = g.email(f, l)
    d.add(f"Notes from {f} {l}", ("person_name", f"{f} {l}")); d.add(f"Follow up with {e}", ("email", e)); prose(g, d, 3)
    path = os.path.join(out, d.path); os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(b"\xff\xfe" + d.text().encode("utf-16-le"))
    labels.extend(d.labels)
    # Windows-1252.
    d = Doc("notes/contacts_latin1.txt")
    ib = g.iban(grouped=True)
    d.add("Contacts (exported from an old Windows tool)")
    d.add("Renée Lefèvre, née à Montréal", ("person_name", "Renée Lefèvre"))
    e = g.email("Renée", "Lefèvre")
    d.add(f"Courriel : {e}", ("email", e)); d.add(f"Compte : {ib}", ("iban", ib))
    write_doc(out, d, labels, encoding="cp1252")
    # gzip-compressed log.
    d = Doc("it/logs/archive/app-2023-12.log.gz"); app_log(g, d, 80)
    write_doc(out, d, labels, compress=True)
    # Binary, empty.
    with open(os.path.join(out, "it/logs/core.bin"), "wb") as fh:
        fh.write(bytes(g.r.randint(0, 255) for _ in range(2048)) + b"\x00\x00")
    open(os.path.join(out, "marketing/empty.txt"), "wb").close()
    labels.sort(key=lambda x: (x["path"], x["line"], x["detector"]))
    with open(out.rstrip("/") + ".labels.jsonl", "w") as fh:
        for lab in labels:
            fh.write(json.dumps(lab, ensure_ascii=False) + "\n")
    return labels


def parse_size(s):
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(float(s[:-1]) * mult[s[-1].upper()]) if s[-1].upper() in mult else int(s)


def gen_corpus(out, size, seed, max_file):
    g = Gen(seed)
    labels = []
    written, n = 0, 0
    kinds = ["log", "log", "log", "json", "csv", "ticket", "invoices", "newsletter", "config", "prose"]
    while written < size:
        kind = g.choice(kinds)
        target = min(max_file, max(1024, int(g.r.lognormvariate(11, 2))), size - written + 1024)
        sub = f"dept{g.r.randint(0, 9)}/{g.choice(['2022', '2023', '2024'])}/{g.choice(['a', 'b', 'c'])}"
        ext = {"log": "log", "json": "jsonl", "csv": "csv", "ticket": "txt", "invoices": "csv", "newsletter": "csv", "config": "ini", "prose": "md"}[kind]
        doc = Doc(f"{sub}/{kind}-{n:06d}.{ext}")
        approx = 0
        while approx < target:
            before = len(doc.lines)
            if kind == "log":
                app_log(g, doc, 200)
            elif kind == "json":
                json_log(g, doc, 100)
            elif kind == "csv":
                if not doc.lines:
                    employees_csv(g, doc, 50)
                else:
                    payroll_tsv(g, doc, 50)
            elif kind == "ticket":
                ticket(g, doc)
            elif kind == "invoices":
                invoices_csv(g, doc, 50)
            elif kind == "newsletter":
                newsletter_csv(g, doc, 50)
            elif kind == "config":
                config_file(g, doc)
            else:
                prose(g, doc, 50)
            approx += sum(len(x) + 1 for x in doc.lines[before:])
        write_doc(out, doc, labels)
        written += approx
        n += 1
    with open(os.path.join(out, "labels.jsonl"), "w") as fh:
        for lab in labels:
            fh.write(json.dumps(lab, ensure_ascii=False) + "\n")
    return written, n, labels


def selftest():
    g = Gen(7)
    for _ in range(3000):
        c = g.card().replace(" ", "").replace("-", "")
        assert luhn_ok(c) and 15 <= len(c) <= 16, c
        assert not luhn_ok(g.bad_card())
        ib = g.iban().replace(" ", "")
        assert iban_mod_ok(ib) and len(ib) == IBAN_LEN[ib[:2]], ib
        assert not iban_mod_ok(g.iban(bad=True).replace(" ", ""))
        s = g.ssn()
        a, gr, se = s.split("-")
        assert a not in ("000", "666") and int(a) < 900 and gr != "00" and se != "0000", s
        bad = g.bad_ssn()[:3]
        assert bad in ("000", "666") or int(bad) >= 900, bad
        ip = g.ipv4()
        assert ip.split(".")[0] not in ("10", "127", "192", "172", "169", "100"), ip
        assert "@example." not in g.email()
    assert luhn_ok("4539148803436467") and iban_mod_ok("DE89370400440532013000")
    print("selftest: ok (generators produce valid values; negatives fail their checks)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("examples"); e.add_argument("--out", default="examples/share")
    c = sub.add_parser("corpus"); c.add_argument("--out", required=True); c.add_argument("--size", default="100M")
    c.add_argument("--seed", type=int, default=1); c.add_argument("--max-file", default="64M")
    sub.add_parser("selftest")
    a = ap.parse_args()
    if a.cmd == "selftest":
        selftest()
    elif a.cmd == "examples":
        labels = gen_examples(a.out)
        print(f"wrote {a.out} with {len(labels)} labelled values", file=sys.stderr)
    else:
        written, files, labels = gen_corpus(a.out, parse_size(a.size), a.seed, parse_size(a.max_file))
        print(f"wrote {written} bytes in {files} files, {len(labels)} labelled values", file=sys.stderr)


if __name__ == "__main__":
    main()
