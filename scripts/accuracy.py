#!/usr/bin/env python3
"""Labelled accuracy benchmark for piimap's detectors.

    python3 scripts/accuracy.py corpus --out /tmp/acc             # write the labelled corpus
    python3 scripts/accuracy.py score --corpus /tmp/acc           # scan it and print P/R/F1
    python3 scripts/accuracy.py score --corpus /tmp/acc --markdown  # the table for docs/accuracy.md

The corpus is deterministic (same seed, same bytes; standard library only) and holds CSV/TSV
exports with varying separators and column orders, JSON logs, application logs, free-text
support tickets and e-mails in seven locales (en-GB, en-US, de, fr, es, it, nl), config files,
and hard negatives: checksum-failing look-alikes of every identifier (with their keyword),
timestamps, UUIDs, hashes, versions, epoch milliseconds, order and tracking numbers, title-case
headings, names of places, products and companies, street-type words outside addresses,
special-category words without a person.

Truth is `labels.jsonl` at the corpus root: {"path", "line", "detector", "value"} per planted
value, at (file, line, detector) granularity. A label with `"hint": "column"` is a value that only
its CSV column header identifies (a bare date of birth, an ITIN without keyword). Header context
applies to files read as tables (`.csv`, `.tsv`, `.psv`), not to delimited exports saved as
`.txt`, so such values are scored separately and left out of the main table (found ones are not
false positives).

Names in the corpus come from this file's own per-locale lists, written independently of the
detector's dictionaries, so some of them are not in the dictionaries: that is measured, not hidden.
"""

import argparse
import collections
import json
import os
import random
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_corpus as gc  # noqa: E402  (value generators for cards, IBANs, phones, ...)

LOCALES = ["en_GB", "en_US", "de", "fr", "es", "it", "nl"]

NAMES = {
    "en_GB": (["Oliver", "George", "Harry", "Amelia", "Isla", "Emily", "Jack", "Charlotte", "Thomas", "Sophie",
               "James", "Hannah", "William", "Lucy", "Daniel", "Eleanor", "Samuel", "Megan", "Ruth", "Graham"],
              ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
               "Thompson", "Evans", "Walker", "Roberts", "Hughes", "Edwards", "Clarke", "Patel", "Khan", "Atkinson"]),
    "en_US": (["Michael", "Jennifer", "David", "Jessica", "Christopher", "Ashley", "Matthew", "Amanda", "Joshua",
               "Brittany", "Tyler", "Latoya", "Jose", "Maria", "Kevin", "Nicole", "Brandon", "Tiffany", "DeShawn", "Keisha"],
              ["Johnson", "Williams", "Garcia", "Martinez", "Anderson", "Jackson", "Thompson", "Hernandez", "Moore",
               "Lee", "Nguyen", "Kim", "Rodriguez", "Lopez", "Washington", "Kowalczyk", "Schwartz", "Sullivan", "Nakamura", "Okafor"]),
    "de": (["Lukas", "Leon", "Maximilian", "Sophie", "Marie", "Hannah", "Jürgen", "Sabine", "Wolfgang", "Ursula",
            "Felix", "Katharina", "Stefan", "Birgit", "Tobias", "Anja", "Dieter", "Heike", "Jörg", "Mehmet"],
           ["Müller", "Schmidt", "Schneider", "Fischer", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Schäfer",
            "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Zimmermann", "Krüger", "Hartmann", "Yılmaz"]),
    "fr": (["Jean", "Marie", "Pierre", "Camille", "Léa", "Hugo", "Chloé", "Mathieu", "Élodie", "Julien",
            "Manon", "Nicolas", "Inès", "Théo", "Sébastien", "Aurélie", "Françoise", "Gaël", "Océane", "Karim"],
           ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
            "Simon", "Laurent", "Lefèvre", "Michel", "Garnier", "Rousseau", "Fournier", "Girard", "Benali", "Mercier"]),
    "es": (["Antonio", "Manuel", "José", "Francisco", "Lucía", "Carmen", "Javier", "Isabel", "Alejandro", "Pilar",
            "Sergio", "Marta", "Álvaro", "Nuria", "Raúl", "Rocío", "Iñaki", "Begoña", "Jordi", "Montserrat"],
           ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Martín",
            "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Navarro", "Etxeberria"]),
    "it": (["Giuseppe", "Giovanni", "Antonio", "Mario", "Francesca", "Giulia", "Alessandro", "Chiara", "Lorenzo", "Federica",
            "Matteo", "Valentina", "Andrea", "Elena", "Davide", "Silvia", "Stefano", "Paola", "Riccardo", "Ilaria"],
           ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
            "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti"]),
    "nl": (["Daan", "Sem", "Lucas", "Emma", "Julia", "Sanne", "Thijs", "Femke", "Bram", "Lotte",
            "Jeroen", "Marieke", "Pieter", "Annelies", "Joost", "Ineke", "Wouter", "Fleur", "Ruud", "Anouk"],
           ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer",
            "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer"]),
}
HONORIFIC = {"en_GB": ["Mr", "Mrs", "Ms", "Dr"], "en_US": ["Mr.", "Mrs.", "Ms.", "Dr."], "de": ["Herr", "Frau"],
             "fr": ["M.", "Mme", "Monsieur", "Madame"], "es": ["Sr.", "Sra.", "Don", "Doña"],
             "it": ["Sig.", "Sig.ra", "Dott."], "nl": ["Dhr.", "Mevr.", "Meneer", "Mevrouw"]}
GREETING = {"en_GB": "Dear", "en_US": "Dear", "de": "Sehr geehrte", "fr": "Bonjour", "es": "Estimado",
            "it": "Gentile", "nl": "Beste"}
NAME_LABEL = {"en_GB": "Name", "en_US": "Full name", "de": "Name", "fr": "Nom", "es": "Nombre", "it": "Nome", "nl": "Naam"}
ADDR_LABEL = {"en_GB": "Address", "en_US": "Address", "de": "Anschrift", "fr": "Adresse", "es": "Dirección",
              "it": "Indirizzo", "nl": "Adres"}
STREETS = {
    "en_GB": (["Baker", "High", "Station", "Victoria", "Mill", "Kingsway", "Albert", "Queen", "Manor", "Highfield"],
              ["Street", "Road", "Lane", "Avenue", "Close", "Drive", "Crescent", "Terrace"]),
    "en_US": (["Main", "Oak", "Maple", "Washington", "Lake", "Pine", "Elm", "Cedar", "Sunset", "Park"],
              ["Street", "St.", "Avenue", "Ave", "Boulevard", "Drive", "Road", "Court"]),
}
DE_STREETS = ["Hauptstraße", "Bahnhofstraße", "Gartenstraße", "Schulstr.", "Lindenweg", "Berliner Straße",
              "Am Marktplatz", "Goethestraße", "Kirchgasse", "Rosenallee", "Hamburger Str."]
FR_STREETS = ["rue de Rivoli", "rue Victor Hugo", "avenue des Champs-Élysées", "boulevard Saint-Germain",
              "rue de la Paix", "place de la République", "allée des Tilleuls", "chemin du Moulin", "quai de la Loire"]
ES_STREETS = ["Calle Mayor", "Calle de Alcalá", "Avenida de América", "Paseo de la Castellana", "Calle Serrano",
              "Plaza de España", "Avenida Diagonal", "Carrer de Balmes", "Calle Real"]
IT_STREETS = ["Via Roma", "Via Garibaldi", "Corso Italia", "Viale Europa", "Piazza Dante", "Via Mazzini",
              "Corso Vittorio Emanuele", "Via dei Mille", "Via Giuseppe Verdi"]
NL_STREETS = ["Kalverstraat", "Keizersgracht", "Dorpsstraat", "Kerkstraat", "Stationsweg", "Molenlaan",
              "Prinsengracht", "Marktplein", "Julianalaan", "Van Goghstraat"]
CITIES = {"en_GB": ["London", "Manchester", "Leeds", "Bristol", "Glasgow"],
          "en_US": [("Springfield", "IL"), ("Austin", "TX"), ("Portland", "OR"), ("Columbus", "OH"), ("Denver", "CO")],
          "de": ["Berlin", "München", "Hamburg", "Köln", "Leipzig"], "fr": ["Paris", "Lyon", "Marseille", "Toulouse", "Lille"],
          "es": ["Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao"], "it": ["Roma", "Milano", "Napoli", "Torino", "Bologna"],
          "nl": ["Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Eindhoven"]}

ART9 = {  # (detector, sentence templates with {n} = person name); each has a personal context
    "health": {"en": ["{n} was diagnosed with type 2 diabetes last spring.", "Sick note: {n} is off work with depression until Friday.",
                      "Patient {n}, history of asthma, prescribed an inhaler."],
               "de": ["{n} ist seit Montag krankgeschrieben (Diagnose: Bandscheibenvorfall).", "Patientin {n} leidet an Diabetes."],
               "fr": ["{n} est en arrêt maladie pour une dépression.", "Le patient {n} souffre d'asthme."],
               "es": ["{n} está de baja médica por una hernia discal.", "El paciente {n} padece diabetes."],
               "it": ["{n} è in malattia, certificato medico allegato.", "Il paziente {n} soffre di ipertensione."],
               "nl": ["{n} heeft een ziekmelding ingediend wegens depressie."]},
    "religion": {"en": ["{n} asked for Fridays off; he is Muslim and attends the mosque.", "Religion of {n}: Catholic."],
                 "de": ["Konfession von {n}: evangelisch (Kirchensteuer)."], "fr": ["{n} est musulman et observe le ramadan."],
                 "es": ["{n} es católico practicante."], "it": ["{n} è cattolico praticante."], "nl": ["{n} is katholiek en gaat naar de kerk."]},
    "ethnic_origin": {"en": ["Equal opportunities form: {n}, ethnicity: Black British.", "{n} describes her ethnic origin as Hispanic."],
                      "de": ["Erhebung: {n}, ethnische Herkunft: Sinti."], "fr": ["Origine ethnique déclarée par {n} : maghrébine, il est né à Lyon."],
                      "es": ["Origen étnico de {n}: gitano, según su declaración."], "it": ["Origine etnica di {n}: rom, dichiarata da lei."],
                      "nl": ["{n} heeft een migratieachtergrond, zijn ouders komen uit Marokko."]},
    "political_opinion": {"en": ["{n} is a party member of the Green Party and voted for them.", "{n} told us he votes for the Labour Party."],
                          "de": ["{n} ist Parteimitglied der SPD."], "fr": ["{n} est membre du parti socialiste."],
                          "es": ["{n} es miembro del partido Podemos."], "it": ["{n} è iscritto al partito democratico."],
                          "nl": ["{n} is partijlid van GroenLinks."]},
    "trade_union": {"en": ["{n} is a trade union member; deduct union dues monthly.", "Union rep for {n}: the shop steward."],
                    "de": ["{n} ist Gewerkschaftsmitglied bei der IG Metall."], "fr": ["{n} est syndiqué à la CFDT, il est délégué syndical."],
                    "es": ["{n} está afiliado al sindicato CCOO, es sindicalista."], "it": ["{n} è iscritto al sindacato CGIL."],
                    "nl": ["{n} is vakbondslid bij de FNV."]},
    "sexual_orientation": {"en": ["{n} came to HR about harassment; he is gay.", "Same-sex partner of {n} added to the health plan; she is lesbian."],
                           "de": ["{n} ist homosexuell und lebt mit seinem Partner."], "fr": ["{n} est homosexuel, son conjoint est couvert."],
                           "es": ["{n} es homosexual y su pareja figura en la póliza."], "it": ["{n} è omosessuale, il suo compagno è assicurato."],
                           "nl": ["{n} is homoseksueel, zijn partner staat op de polis."]},
    "genetic_biometric": {"en": ["Fingerprint template of {n} enrolled for the door (biometric).", "{n} consented to a genetic test (BRCA1)."],
                          "de": ["Fingerabdruck von {n} gespeichert (biometrische Zeiterfassung)."], "fr": ["Empreinte digitale de {n} enregistrée (contrôle biométrique)."],
                          "es": ["Huella dactilar de {n} registrada para el control biométrico."], "it": ["Impronta digitale di {n} registrata (sistema biometrico)."],
                          "nl": ["Vingerafdruk van {n} opgeslagen voor biometrische toegang."]},
}
HARD_NEG_TEXT = [
    "Quarterly Business Review scheduled for next week.", "Mark the date: the release is in May 2024.",
    "Will you join the call? May I add a topic?", "Tickets for the Rose Bowl are sold out.",
    "Grace period ends on Friday.", "The Apple Watch and Microsoft Teams rollout is done.",
    "Flights to New York and San Francisco were cancelled.", "Order Status Update", "Customer Service Team",
    "Meet at Church Street station entrance.", "Top 10 Ways to reduce churn", "Version 2 Road Map attached.",
    "Sent via Email 3 times, no answer.", "The union of both sets is empty: SELECT a FROM t UNION SELECT b FROM u;",
    "European Union regulation 2016/679 applies.", "Cancer research funding doubled this year.",
    "Diabetes awareness month starts today.", "Host key fingerprint is SHA256:Qx7b1nA0; verify before login.",
    "The church was built in 1850 and restored in 1990.", "Hearing aids are in aisle 4.",
    "Feature flag disabled in production.", "Spring 2024 collection launches in Berlin.",
    "Heidelberg 2023 conference proceedings", "Welcome to the Hotel California.", "Jordan River tour, day 2.",
    "Lincoln Park Zoo opens at 10.", "Washington Post article about Paris Hilton hotels.",
    "Bitte Rechnung Mai prüfen.", "Die Lieferung kommt am Montag.", "Merci pour votre commande.",
    "Gracias por su pedido.", "Grazie per il suo ordine.", "Bedankt voor uw bestelling.",
    "Run make test before you push to main.", "Error 40400 Found in module Core.",
]
WORDS = gc.WORDS


class G(gc.Gen):
    # ---- national identifiers (checksums exact; bad=True breaks the check) ------------------
    def itin(self, bad=False):
        g = self.choice(list(range(50, 66)) + list(range(70, 89)) + [90, 91, 92] + list(range(94, 100)))
        if bad:
            g = self.choice([10, 20, 45, 69, 89, 93])
        return f"9{self.digits(2)}-{g:02d}-{self.digits(4)}"

    def nino(self, bad=False):
        first, second = "ABCEGHJKLMNOPRSTWXYZ", "ABCEGHJKLMNPRSTWXYZ"
        while True:
            p = self.choice(first) + self.choice(second)
            if p not in ("BG", "GB", "NK", "KN", "TN", "NT", "ZZ"):
                break
        if bad:
            p = self.choice(["DA", "FQ", "QQ", "BG", "GB"])
        d = self.digits(6)
        return self.choice([f"{p}{d}{self.choice('ABCD')}", f"{p} {d[:2]} {d[2:4]} {d[4:]} {self.choice('ABCD')}"])

    def nhs(self, bad=False):
        while True:
            d = self.digits(9)
            r = 11 - sum(int(c) * (10 - i) for i, c in enumerate(d)) % 11
            r = 0 if r == 11 else r
            if r != 10:
                break
        c = (r + (self.r.randint(1, 9) if bad else 0)) % 10
        if bad and (11 - sum(int(x) * (10 - i) for i, x in enumerate(d)) % 11) % 11 == c:
            c = (c + 1) % 10
        n = d + str(c)
        return self.choice([n, f"{n[:3]} {n[3:6]} {n[6:]}"])

    def bsn(self, bad=False):
        while True:
            d = self.digits(8)
            if d[0] == "0":
                continue
            s = sum(int(c) * (9 - i) for i, c in enumerate(d))
            c = s % 11
            if c < 10:
                break
        if bad:
            c = (c + self.r.randint(1, 9)) % 10
        return d + str(c)

    def nir(self, bad=False):
        age = self.r.randint(20, 80)
        body = f"{self.choice('12')}{(2025 - age) % 100:02d}{self.r.randint(1, 12):02d}{self.r.randint(1, 95):02d}".replace("20", "21", 0)
        if body[5:7] == "20":
            body = body[:5] + "21"
        body += f"{self.r.randint(1, 999):03d}{self.r.randint(1, 999):03d}"
        key = 97 - int(body) % 97
        if bad:
            key = (key % 97) + 1
        k = f"{key:02d}"
        return self.choice([body + k, f"{body[0]} {body[1:3]} {body[3:5]} {body[5:7]} {body[7:10]} {body[10:13]} {k}"])

    def steuer_id(self, bad=False):
        while True:
            digits = self.r.sample("0123456789", 9)
            if digits[0] == "0":
                continue
            dup = self.choice(digits[1:])
            pos = self.r.randint(1, 9)
            d = digits[:pos] + [dup] + digits[pos:]
            d = "".join(d[:10])
            counts = collections.Counter(d)
            if sorted(counts.values(), reverse=True)[:2] != [2, 1] or d[0] == "0":
                continue
            p = 10
            for c in d:
                s = (int(c) + p) % 10 or 10
                p = (2 * s) % 11
            chk = 11 - p
            chk = 0 if chk == 10 else chk
            if bad:
                chk = (chk + self.r.randint(1, 9)) % 10
            return d + str(chk)

    def dni(self, bad=False):
        letters = "TRWAGMYFPDXBNJZSQVHLCKE"
        if self.r.random() < 0.3:
            pre = self.choice("XYZ")
            n = self.digits(7)
            idx = int(str("XYZ".index(pre)) + n) % 23
            out = pre + n
        else:
            n = self.digits(8)
            idx = int(n) % 23
            out = n
        letter = letters[(idx + (self.r.randint(1, 22) if bad else 0)) % 23]
        return out + self.choice(["", "-"]) + letter if not out[0].isalpha() else out + letter

    def codice_fiscale(self, bad=False):
        odd = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                       [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8,
                        12, 14, 16, 10, 22, 25, 24, 23]))
        even = {c: (int(c) if c.isdigit() else ord(c) - 65) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
        cons = "BCDFGHJKLMNPRSTVZ"
        day = self.r.randint(1, 28) + self.choice([0, 40])
        body = ("".join(self.choice(cons) for _ in range(6)) + f"{self.r.randint(40, 99):02d}" + self.choice("ABCDEHLMPRST")
                + f"{day:02d}" + self.choice("ABCDEFGHILMZ") + self.digits(3))
        s = sum((odd if i % 2 == 0 else even)[c] for i, c in enumerate(body))
        chk = chr(65 + (s + (self.r.randint(1, 25) if bad else 0)) % 26)
        return body + chk

    def personnummer(self, bad=False):
        age = self.r.randint(20, 80)
        y, m, d = (2025 - age) % 100, self.r.randint(1, 12), self.r.randint(1, 28)
        body = f"{y:02d}{m:02d}{d:02d}{self.digits(3)}"
        c = int(gc.luhn_digit(body))
        if bad:
            c = (c + self.r.randint(1, 9)) % 10
        return f"{body[:6]}{self.choice(['-', '-', '+'])  if age > 100 else '-'}{body[6:]}{c}"

    def hetu(self, bad=False):
        chars = "0123456789ABCDEFHJKLMNPRSTUVWXY"
        age = self.r.randint(20, 80)
        y = 2025 - age
        dd, mm = self.r.randint(1, 28), self.r.randint(1, 12)
        ind = self.r.randint(2, 899)
        n = int(f"{dd:02d}{mm:02d}{y % 100:02d}{ind:03d}")
        c = chars[(n % 31 + (self.r.randint(1, 30) if bad else 0)) % 31]
        sign = "-" if y < 2000 else "A"
        return f"{dd:02d}{mm:02d}{y % 100:02d}{sign}{ind:03d}{c}"

    def pesel(self, bad=False):
        age = self.r.randint(20, 80)
        y = 2025 - age
        mm = self.r.randint(1, 12) + (20 if y >= 2000 else 0)
        body = f"{y % 100:02d}{mm:02d}{self.r.randint(1, 28):02d}{self.digits(4)}"
        w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]
        c = (10 - sum(int(a) * b for a, b in zip(body, w)) % 10) % 10
        if bad:
            c = (c + self.r.randint(1, 9)) % 10
        return body + str(c)

    def be_nn(self, bad=False):
        age = self.r.randint(20, 80)
        y = 2025 - age
        body = f"{y % 100:02d}{self.r.randint(1, 12):02d}{self.r.randint(1, 28):02d}{self.r.randint(1, 997):03d}"
        base = int(("2" if y >= 2000 else "") + body)
        c = 97 - base % 97
        if bad:
            c = c % 97 + 1
        return f"{body[:2]}.{body[2:4]}.{body[4:6]}-{body[6:]}.{c:02d}"

    def sin(self, bad=False):
        while True:
            body = self.choice("1234567") + self.digits(7)
            n = body + gc.luhn_digit(body)
            if bad:
                n = n[:-1] + str((int(n[-1]) + self.r.randint(1, 9)) % 10)
            return f"{n[:3]} {n[3:6]} {n[6:]}" if self.r.random() < 0.5 else f"{n[:3]}-{n[3:6]}-{n[6:]}"

    def tfn(self, bad=False):
        w = [1, 4, 3, 7, 5, 8, 6, 9, 10]
        while True:
            d = [self.r.randint(0, 9) for _ in range(9)]
            s = sum(a * b for a, b in zip(d, w)) % 11
            if (s == 0) != bad:
                n = "".join(map(str, d))
                return f"{n[:3]} {n[3:6]} {n[6:]}"

    def aadhaar(self, bad=False):
        dt = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
              [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
              [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
              [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
        pt = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
              [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
              [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]]
        inv = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]
        while True:
            body = self.choice("23456789") + self.digits(10)
            c = 0
            for i, ch in enumerate(reversed(body)):
                c = dt[c][pt[(i + 1) % 8][int(ch)]]
            chk = inv[c]
            if bad:
                chk = (chk + self.r.randint(1, 9)) % 10
            n = body + str(chk)
            if n != n[::-1]:
                return f"{n[:4]} {n[4:8]} {n[8:]}"

    def tckn(self, bad=False):
        d = [self.r.randint(1, 9)] + [self.r.randint(0, 9) for _ in range(8)]
        d10 = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
        d11 = (sum(d) + d10) % 10
        if bad:
            d11 = (d11 + self.r.randint(1, 9)) % 10
        return "".join(map(str, d + [d10, d11]))

    def vin(self, bad=False):
        tr = {**{str(i): i for i in range(10)}, **dict(zip("ABCDEFGH", range(1, 9))), **dict(zip("JKLMN", range(1, 6))),
              "P": 7, "R": 9, **dict(zip("STUVWXYZ", range(2, 10)))}
        w = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
        alpha = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
        v = [self.choice("12345"), *[self.choice(alpha) for _ in range(7)], "0", self.choice("ABCDEFGHJKLMNPRSTVWXY"),
             self.choice(alpha), *self.digits(6)]
        s = sum(tr[c] * wt for c, wt in zip(v, w)) % 11
        chk = "X" if s == 10 else str(s)
        if bad:
            chk = self.choice([c for c in "0123456789X" if c != chk])
        v[8] = chk
        return "".join(v)

    def mac(self, bad=False):
        b = [self.r.randint(0, 255) for _ in range(6)]
        b[0] &= 0xFC
        if bad:
            b = [0] * 6
        sep = self.choice([":", "-"])
        return sep.join(f"{x:02x}" for x in b) if self.r.random() < 0.5 else sep.join(f"{x:02X}" for x in b)

    def passport(self):
        return self.choice([self.digits(9), self.choice("CFGHJK") + "".join(self.choice("CFGHJKLMNPRTVWXYZ0123456789") for _ in range(7)) + self.digits(1),
                            self.choice("ABCDEFGHJKLMNPRSTUVWXYZ") * 2 + self.digits(7)])

    # ---- people and places ---------------------------------------------------------------
    def person(self, loc):
        first, last = NAMES[loc]
        return self.choice(first), self.choice(last)

    def address(self, loc):
        """(street line, postcode-city part)"""
        n = self.r.randint(1, 250)
        if loc in ("en_GB", "en_US"):
            names, types = STREETS[loc]
            street = f"{n}{self.choice(['', '', 'A', 'b'])} {self.choice(names)} {self.choice(types)}"
            if loc == "en_GB":
                pc = f"{self.choice(['SW1A', 'NW1', 'M1', 'LS6', 'BS8', 'G12', 'EC2A'])} {self.r.randint(1, 9)}{self.choice('ABDEFGHJLNPQRSTUWXYZ')}{self.choice('ABDEFGHJLNPQRSTUWXYZ')}"
                return street, f"{self.choice(CITIES[loc])} {pc}"
            city, st = self.choice(CITIES[loc])
            return street, f"{city}, {st} {self.r.randint(10000, 99999)}"
        if loc == "de":
            return f"{self.choice(DE_STREETS)} {n}{self.choice(['', '', 'a'])}", f"{self.r.randint(10000, 99999)} {self.choice(CITIES[loc])}"
        if loc == "fr":
            s = self.choice(FR_STREETS)
            street = f"{n}{self.choice(['', '', ' bis'])}, {s}" if self.r.random() < 0.3 else (f"{n} {s}" if self.r.random() < 0.8 else f"{s[0].upper() + s[1:]} {n}")
            return street, f"{self.r.randint(10, 95)}{self.r.randint(0, 999):03d} {self.choice(CITIES[loc])}"
        if loc == "es":
            return f"{self.choice(ES_STREETS)}{self.choice([' ', ', '])}{n}", f"{self.r.randint(1, 52):02d}{self.r.randint(0, 999):03d} {self.choice(CITIES[loc])}"
        if loc == "it":
            return f"{self.choice(IT_STREETS)}{self.choice([' ', ', '])}{n}", f"{self.r.randint(10, 98)}{self.r.randint(0, 999):03d} {self.choice(CITIES[loc])}"
        return f"{self.choice(NL_STREETS)} {n}", f"{self.r.randint(1000, 9999)} {self.choice('ABCDEGHJKLMNPRSTVWXZ')}{self.choice('ABCDEGHJKLMNPRSTVWXZ')} {self.choice(CITIES[loc])}"


# National IDs: (detector, generator, keyword phrases by locale or None for any)
IDS = [
    ("us_itin", "itin", ["ITIN", "Taxpayer ID (ITIN)"]), ("uk_nino", "nino", ["NI number", "National Insurance No", "NINO"]),
    ("uk_nhs", "nhs", ["NHS number", "NHS No."]), ("nl_bsn", "bsn", ["BSN", "burgerservicenummer"]),
    ("fr_nir", "nir", ["numéro de sécurité sociale", "NIR", "n° de sécu"]), ("de_tax_id", "steuer_id", ["Steuer-ID", "Steuerliche IdNr.", "Steuer-IdNr"]),
    ("es_dni", "dni", ["DNI", "NIE", "DNI/NIE"]), ("it_fiscal_code", "codice_fiscale", ["codice fiscale", "C.F."]),
    ("se_personnummer", "personnummer", ["personnummer"]), ("fi_hetu", "hetu", ["henkilötunnus", "HETU"]),
    ("pl_pesel", "pesel", ["PESEL", "nr PESEL"]), ("be_national_number", "be_nn", ["rijksregisternummer", "numéro national"]),
    ("ca_sin", "sin", ["SIN", "Social Insurance Number"]), ("au_tfn", "tfn", ["TFN", "tax file number"]),
    ("in_aadhaar", "aadhaar", ["Aadhaar", "Aadhaar no."]), ("tr_tckn", "tckn", ["TC Kimlik No", "T.C. Kimlik"]),
    ("vin", "vin", ["VIN", "vehicle identification number"]), ("mac_address", "mac", ["mac", "hw addr", "device MAC"]),
]


Doc = gc.Doc


def crm_csv(g, doc, loc, rows):
    sep = g.choice([",", ";", "\t", "|"])
    split = g.r.random() < 0.5
    cols = (["id", "first_name", "last_name"] if split else ["id", "name"]) + ["email", "phone", "street", "city", "dob"]
    doc.add(sep.join(cols))
    for i in range(rows):
        f, l = g.person(loc)
        e, p, d = g.email(f, l), g.phone_intl(), g.dob()
        street, city = g.address(loc)
        if sep in (",", ";") and ("," in street or "," in city):
            street, city = f'"{street}"', f'"{city}"'
        namecells = [f, l] if split else [f"{f} {l}"]
        line = sep.join([str(1000 + i)] + namecells + [e, p, street, city, d])
        doc.add(line, ("person_name", f"{f}{sep}{l}" if split else f"{f} {l}"), ("email", e), ("phone", p),
                ("street_address", street.strip('"')))
        doc.labels.append({"path": doc.path, "line": len(doc.lines), "detector": "date_of_birth", "value": d, "hint": "column"})


def hr_ids_csv(g, doc, rows):
    """IDs with the keyword only in the header: column-only labels."""
    det, gen, _ = g.choice(IDS)
    sep = g.choice([",", ";", "\t"])
    doc.add(sep.join(["employee_no", det, "department", "start_date"]))
    for i in range(rows):
        v = getattr(g, gen)()
        doc.add(sep.join([f"E{g.digits(5)}", v, g.choice(["Sales", "HR", "IT"]), g.timestamp()[:10]]))
        doc.labels.append({"path": doc.path, "line": len(doc.lines), "detector": det, "value": v, "hint": "column"})


def letter(g, doc, loc):
    f, l = g.person(loc)
    hon = g.choice(HONORIFIC[loc])
    lang = loc[:2]
    street, city = g.address(loc)
    e = g.email(f, l)
    doc.add(f"From: {f} {l} <{e}>", ("person_name", f"{f} {l}"), ("email", e))
    doc.add(f"Subject: {g.choice(['Re: ', 'Fwd: ', ''])}{g.words(3)}")
    doc.add(f"Date: {g.timestamp()}")
    doc.add("")
    greet = GREETING[loc]
    doc.add(f"{greet} {hon} {l},", ("person_name", l))
    for _ in range(g.r.randint(3, 7)):
        k = g.r.randint(0, 13)
        if k == 0:
            det, gen, kws = g.choice(IDS)
            v = getattr(g, gen)()
            doc.add(f"My {g.choice(kws)}: {v}", (det, v))
        elif k == 1:
            det, gen, kws = g.choice(IDS)
            if det == "mac_address":
                continue
            v = getattr(g, gen)(bad=True)
            doc.add(f"Old {g.choice(kws)} on file was {v} (rejected).")  # checksum-failing look-alike
        elif k == 2:
            doc.add(f"{ADDR_LABEL[loc]}: {street}, {city}", ("street_address", street))
        elif k == 3:
            det = g.choice(list(ART9))
            forms = ART9[det].get(lang) or ART9[det]["en"]
            n = f"{g.person(loc)[0]} {g.person(loc)[1]}"
            text = g.choice(forms).format(n=n)
            doc.add(text, (det, text), ("person_name", n))
        elif k == 4:
            doc.add(g.choice(HARD_NEG_TEXT))
        elif k == 5:
            c = g.card()
            doc.add(f"Card {c}, expiry {g.r.randint(1, 12):02d}/{g.r.randint(26, 31)}.", ("credit_card", c))
        elif k == 6:
            ib = g.iban(grouped=True)
            doc.add(f"IBAN: {ib}", ("iban", ib))
        elif k == 7:
            d = g.dob()
            doc.add(f"{g.choice(['Date of birth', 'DOB', 'Geburtsdatum', 'né le', 'fecha de nacimiento'])}: {d}", ("date_of_birth", d))
        elif k == 8:
            doc.add(f"Order {g.digits(8)}, tracking {g.choice(['1Z', 'JD', ''])}{g.digits(16)}, ref {g.uuid()}.")
        elif k == 9:
            p = g.phone_intl()
            doc.add(f"{g.choice(['Tel', 'Phone', 'Mobil', 'Tél.', 'Móvil'])}: {p}", ("phone", p))
        elif k == 10:
            doc.add(f"{NAME_LABEL[loc]}: {f} {l}", ("person_name", f"{f} {l}"))
        elif k == 11:
            p = g.passport()
            doc.add(f"{g.choice(['Passport No', 'Reisepass', 'passeport', 'pasaporte'])}: {p}", ("passport", p))
        elif k == 12:
            doc.add(f"{g.words(6).capitalize()} {g.version()} build {g.digits(6)} at {g.r.randint(1_600_000_000_000, 1_800_000_000_000)}.")
        else:
            doc.add(g.words(g.r.randint(8, 15)).capitalize() + ".")
    doc.add("")
    doc.add(f"{g.choice(['Kind regards', 'Mit freundlichen Grüßen', 'Cordialement', 'Saludos', 'Cordiali saluti', 'Met vriendelijke groet'])},")
    doc.add(f"{f} {l}", ("person_name", f"{f} {l}"))
    doc.add(street, ("street_address", street))
    # `City, ST 12345` and `London SW1A 1AA` are address lines by their shape; a bare
    # `10115 Berlin` line is not labelled (postcode + city alone is not an address here).
    doc.add(city, *([("street_address", city)] if loc in ("en_US", "en_GB") else []))


def json_events(g, doc, loc, lines):
    for _ in range(lines):
        rec = {"ts": g.timestamp(), "level": g.choice(["info", "warn"]), "request_id": g.uuid()}
        labels = []
        k = g.r.randint(0, 7)
        if k == 0:
            f, l = g.person(loc)
            rec["customer"] = {"name": f"{f} {l}", "email": g.email(f, l)}
            labels += [("person_name", f"{f} {l}"), ("email", rec["customer"]["email"])]
        elif k == 1:
            street, city = g.address(loc)
            rec["shipping_address"] = f"{street}, {city}"
            labels.append(("street_address", street))
        elif k == 2:
            rec["client_ip"] = g.ipv4()
            labels.append(("ip_address", rec["client_ip"]))
        elif k == 3:
            rec["dob"] = g.dob()
            labels.append(("date_of_birth", rec["dob"]))
        elif k == 4:
            rec["order_id"] = g.digits(10)
            rec["sha256"] = "%064x" % g.r.getrandbits(256)
            rec["created_ms"] = g.r.randint(1_600_000_000_000, 1_800_000_000_000)
        elif k == 5:
            det, gen, kws = g.choice(IDS)
            key = kws[0].lower().replace(" ", "_").replace(".", "")
            rec[key] = getattr(g, gen)()
            labels.append((det, rec[key]))
        else:
            rec["msg"] = g.words(6)
            rec["version"] = g.version()
        doc.add(json.dumps(rec, ensure_ascii=False), *labels)


def app_log(g, doc, lines):
    for _ in range(lines):
        ts = g.timestamp()
        k = g.r.randint(0, 9)
        if k == 0:
            ip = g.ipv4()
            doc.add(f"{ts} INFO client={ip} GET /api/v2/orders/{g.digits(6)} 200", ("ip_address", ip))
        elif k == 1:
            m = g.mac()
            doc.add(f"{ts} INFO dhcp lease hw addr {m} renewed", ("mac_address", m))
        elif k == 2:
            e = g.email()
            doc.add(f"{ts} INFO password reset for {e}", ("email", e))
        elif k == 3:
            doc.add(f"{ts} DEBUG upstream {g.private_ip()}:8080 build {g.version()} commit {'%040x' % g.r.getrandbits(160)}")
        elif k == 4:
            doc.add(f"{ts} INFO job done epoch_ms={g.r.randint(1_600_000_000_000, 1_800_000_000_000)} order={g.digits(9)} tracking={g.digits(12)}")
        elif k == 5:
            doc.add(f"{ts} WARN retry id={g.uuid()} card=************{g.digits(4)} bad_card={g.bad_card()}")
        else:
            doc.add(f"{ts} INFO req={g.uuid()} {g.choice(['GET', 'POST'])} /api/v2/items/{g.digits(5)} {g.r.randint(1, 999)}ms")


def config(g, doc):
    doc.add("[server]")
    doc.add(f"listen = 0.0.0.0:{g.r.randint(1024, 9999)}")
    doc.add(f"upstream = {g.private_ip()}")
    doc.add(f"version = {g.version()}")
    doc.add(f"instance_id = {g.uuid()}")
    doc.add(f"checksum = {'%032x' % g.r.getrandbits(128)}")
    doc.add("[contact]")
    e = g.email()
    doc.add(f"owner_email = {e}", ("email", e))
    doc.add(f"timeout_ms = {g.r.randint(100, 30000)}")
    doc.add(f"start_date = {g.timestamp()[:10]}")


def gen(out, seed, files):
    g = G(seed)
    labels = []
    for n in range(files):
        loc = LOCALES[n % len(LOCALES)]
        kind = ["crm", "letter", "letter", "json", "log", "config", "ids", "letter"][n % 8]
        ext = {"crm": g.choice(["csv", "tsv", "txt"]), "letter": g.choice(["txt", "eml"]), "json": "jsonl", "log": "log",
               "config": "ini", "ids": "csv"}[kind]
        doc = Doc(f"{loc}/{kind}-{n:04d}.{ext}")
        if kind == "crm":
            crm_csv(g, doc, loc, 40)
        elif kind == "letter":
            for _ in range(6):
                letter(g, doc, loc)
                doc.add("----")
        elif kind == "json":
            json_events(g, doc, loc, 120)
        elif kind == "log":
            app_log(g, doc, 200)
        elif kind == "ids":
            hr_ids_csv(g, doc, 30)
        else:
            config(g, doc)
        gc.write_doc(out, doc, labels)
    with open(os.path.join(out, "labels.jsonl"), "w") as fh:
        for lab in labels:
            fh.write(json.dumps(lab, ensure_ascii=False) + "\n")
    return labels


def score(corpus, binary, markdown):
    truth, column = set(), set()
    for line in open(os.path.join(corpus, "labels.jsonl"), encoding="utf-8"):
        lab = json.loads(line)
        key = (lab["path"], lab["line"], lab["detector"])
        (column if lab.get("hint") == "column" else truth).add(key)
    column -= truth
    size = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(corpus) for f in fs if f != "labels.jsonl")
    t0 = time.perf_counter()
    proc = subprocess.run([binary, "scan", corpus, "-f", "jsonl", "--no-store", "-q", "--exclude", "labels.jsonl"],
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.exit(f"scan failed ({proc.returncode}): {proc.stderr}")
    found = set()
    root = corpus.rstrip("/") + "/"
    for line in proc.stdout.splitlines():
        f = json.loads(line)
        path = f["location"]["path"]
        found.add((path[len(root):] if path.startswith(root) else path, f["location"]["line"], f["detector"]))
    # E-mail files are parsed into parts (headers, each body part): piimap reports lines relative
    # to the part, the labels count lines of the raw file. Within an .eml file, findings and
    # labels of a detector are matched by their order instead of their line.
    def by_order(keys):
        out, groups = set(), {}
        for k in keys:
            if k[0].endswith(".eml"):
                groups.setdefault((k[0], k[2]), []).append(k[1])
            else:
                out.add(k)
        for (path, det), lines in groups.items():
            out.update((path, -(i + 1), det) for i in range(len(lines)))
        return out

    truth, found = by_order(truth), by_order(found)
    column = {k for k in column if not k[0].endswith(".eml")}
    found_main = found - column
    dets = sorted({k[2] for k in truth | found_main})
    rows, tp_all, fp_all, fn_all = [], 0, 0, 0
    for d in dets:
        t = {k for k in truth if k[2] == d}
        f = {k for k in found_main if k[2] == d}
        tp, fp, fn = len(t & f), len(f - t), len(t - f)
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        rows.append((d, len(t), tp, fp, fn))
    rows.append(("overall", len(truth), tp_all, fp_all, fn_all))

    def prf(tp, fp, fn):
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    if markdown:
        print("| detector | labels | TP | FP | FN | precision | recall | F1 |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
    else:
        print(f"{'detector':22} {'labels':>6} {'TP':>6} {'FP':>5} {'FN':>5} {'prec':>6} {'recall':>6} {'F1':>6}")
    for d, n, tp, fp, fn in rows:
        p, r, f1 = prf(tp, fp, fn)
        if markdown:
            name = f"**{d}**" if d == "overall" else f"`{d}`"
            print(f"| {name} | {n} | {tp} | {fp} | {fn} | {p:.3f} | {r:.3f} | {f1:.3f} |")
        else:
            print(f"{d:22} {n:6} {tp:6} {fp:5} {fn:5} {p:6.3f} {r:6.3f} {f1:6.3f}")
    col_found = len(column & found)
    print(f"\ncolumn-only values (identified only by a CSV header): {len(column)}, found anyway: {col_found}")
    print(f"scan: {size / 1e6:.1f} MB in {elapsed:.2f} s = {size / 1e6 / elapsed:.1f} MB/s ({binary}, -f jsonl, no store)")
    if os.environ.get("ACCURACY_ERRORS"):
        for k in sorted(found_main - truth)[:60]:
            print("FP", k)
        for k in sorted(truth - found_main)[:60]:
            print("FN", k)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("corpus")
    c.add_argument("--out", required=True)
    c.add_argument("--seed", type=int, default=3)
    c.add_argument("--files", type=int, default=560)
    s = sub.add_parser("score")
    s.add_argument("--corpus", required=True)
    s.add_argument("--bin", default="target/release/piimap")
    s.add_argument("--markdown", action="store_true")
    a = ap.parse_args()
    if a.cmd == "corpus":
        labels = gen(a.out, a.seed, a.files)
        print(f"wrote {a.files} files, {len(labels)} labels to {a.out}", file=sys.stderr)
    else:
        score(a.corpus, a.bin, a.markdown)


if __name__ == "__main__":
    main()
