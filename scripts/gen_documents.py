#!/usr/bin/env python3
"""Generates a folder of office documents, PDFs, e-mails and archives holding fake PII, for
measuring document throughput: `piimap scan OUT`.

    python3 scripts/gen_documents.py OUT [--count N] [--seed S]

Only the standard library: DOCX/XLSX/PPTX/ODT/ODS are written as zip packages of minimal
hand-written XML, PDFs with a hand-built xref table, e-mails with the `email` package.
"""

import argparse
import gzip
import io
import os
import random
import tarfile
import zipfile
from email.message import EmailMessage

FIRST = ["Jane", "Lukas", "Mia", "Noah", "Zoë", "Olga", "Marco", "Anna", "Kenji", "Léa"]
LAST = ["Doe", "Meier", "Nowak", "Rossi", "Dupont", "Schmidt", "Kowalski", "Martin"]
DOMAINS = ["web.de", "gmx.de", "gmail.com", "posteo.de", "orange.fr", "libero.it"]
WORDS = ("report meeting customer invoice schedule office printer access refund delivery "
         "account status team project budget review contract").split()
IBANS = ["DE89 3704 0044 0532 0130 00", "GB82 WEST 1234 5698 7654 32", "FR14 2004 1010 0505 0001 3M02 606"]


def person(r):
    f, l = r.choice(FIRST), r.choice(LAST)
    return f"{f} {l}", f"{f.lower()}.{l.lower()}{r.randint(1, 99)}@{r.choice(DOMAINS)}".replace("ë", "e").replace("é", "e")


def prose(r, n):
    return " ".join(r.choice(WORDS) for _ in range(n)).capitalize() + "."


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def paragraphs(r, n):
    out = []
    for _ in range(n):
        name, mail = person(r)
        out.append(f"{prose(r, 30)} Contact {name} at {mail}. {prose(r, 20)}")
        if r.random() < 0.2:
            out.append(f"Bank account IBAN {r.choice(IBANS)} for {name}.")
    return out


def package(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)
    return buf.getvalue()


def docx(r):
    W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = "".join(f"<w:p><w:r><w:t>{esc(p)}</w:t></w:r></w:p>" for p in paragraphs(r, 60))
    return package([
        ("[Content_Types].xml", "<Types/>"),
        ("word/document.xml", f"<w:document {W}><w:body>{body}</w:body></w:document>"),
        ("word/header1.xml", f"<w:hdr {W}><w:p><w:r><w:t>{person(r)[1]}</w:t></w:r></w:p></w:hdr>"),
    ])


def xlsx(r):
    rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c><c r="B1" t="inlineStr"><is><t>E-mail</t></is></c><c r="C1" t="inlineStr"><is><t>IBAN</t></is></c><c r="D1" t="inlineStr"><is><t>Amount</t></is></c></row>']
    for i in range(2, 400):
        name, mail = person(r)
        rows.append(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>{esc(name)}</t></is></c>'
                    f'<c r="B{i}" t="inlineStr"><is><t>{mail}</t></is></c>'
                    f'<c r="C{i}" t="inlineStr"><is><t>{r.choice(IBANS)}</t></is></c><c r="D{i}"><v>{r.randint(100, 9999)}</v></c></row>')
    return package([
        ("xl/workbook.xml", '<workbook xmlns:r="r"><sheets><sheet name="Payroll" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        ("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'),
        ("xl/worksheets/sheet1.xml", f"<worksheet><sheetData>{''.join(rows)}</sheetData></worksheet>"),
    ])


def pptx(r):
    members = [("ppt/presentation.xml", "<p:presentation xmlns:p='p'/>")]
    for n in range(1, 11):
        text = "".join(f"<a:p><a:r><a:t>{esc(p)}</a:t></a:r></a:p>" for p in paragraphs(r, 3))
        members.append((f"ppt/slides/slide{n}.xml", f"<p:sld xmlns:p='p' xmlns:a='a'><p:txBody>{text}</p:txBody></p:sld>"))
    return package(members)


def odt(r):
    body = "".join(f"<text:p>{esc(p)}</text:p>" for p in paragraphs(r, 60))
    return package([
        ("mimetype", "application/vnd.oasis.opendocument.text"),
        ("content.xml", f"<office:document-content xmlns:office='o' xmlns:text='t'><office:body><office:text>{body}</office:text></office:body></office:document-content>"),
    ])


def pdf(r):
    pages = []
    for _ in range(5):
        lines = []
        for p in paragraphs(r, 8):
            lines += [p[i:i + 90] for i in range(0, len(p), 90)]
        pages.append(lines)
    objs = ["<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [%s] /Count %d >>" % (" ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages))), len(pages)),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    for i, lines in enumerate(pages):
        content = "BT /F1 10 Tf 50 780 Td 12 TL " + " ".join(
            "(%s) Tj T*" % l.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1", "replace").decode("latin-1") for l in lines) + " ET"
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>")
        data = content.encode("latin-1")
        objs.append(b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + (o if isinstance(o, bytes) else o.encode("latin-1")) + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for o in offsets:
        out += f"{o:010} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def eml(r, attach):
    m = EmailMessage()
    name, mail = person(r)
    m["From"] = f"{name} <{mail}>"
    m["To"] = ", ".join(person(r)[1] for _ in range(2))
    m["Subject"] = prose(r, 4)
    m.set_content("\n\n".join(paragraphs(r, 10)))
    if attach:
        m.add_attachment(docx(r), maintype="application", subtype="octet-stream", filename="cv.docx")
    return m.as_bytes()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=100, help="documents of each kind")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    r = random.Random(a.seed)
    kinds = {"docx": docx, "xlsx": xlsx, "pptx": pptx, "odt": odt, "pdf": pdf}
    total = 0
    for i in range(a.count):
        d = os.path.join(a.out, f"dept{i % 10}")
        os.makedirs(d, exist_ok=True)
        for ext, make in kinds.items():
            with open(os.path.join(d, f"doc{i}.{ext}"), "wb") as f:
                f.write(make(r))
        with open(os.path.join(d, f"mail{i}.eml"), "wb") as f:
            f.write(eml(r, i % 3 == 0))
        total += len(kinds) + 1
        if i % 10 == 0:
            members = [(f"{i}/{k}.{k}", kinds[k](r)) for k in ("docx", "xlsx", "pdf")]
            with open(os.path.join(d, f"bundle{i}.zip"), "wb") as f:
                f.write(package(members))
            buf = io.BytesIO()
            with tarfile.open(fileobj=buf, mode="w") as t:
                for name, data in members:
                    info = tarfile.TarInfo(name)
                    info.size = len(data)
                    t.addfile(info, io.BytesIO(data))
            with open(os.path.join(d, f"backup{i}.tar.gz"), "wb") as f:
                f.write(gzip.compress(buf.getvalue()))
            total += 2
    print(f"{total} files in {a.out}")


if __name__ == "__main__":
    main()
