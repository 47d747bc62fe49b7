"""Generate realistic assessment files for benchmarks: N files × 20 participants × every question.

    python benchmarks/generate.py --files 1000 --out /tmp/psa-bench

Each file is one organisation with its own maturity; answers scatter around it per area.
Its kind (region, kommun, vårdgivare) is one for which every question is in scope.
The mix: mostly levels, about 8 % "Vet ej" (unknown), about 4 % "Ej aktuellt" (na, when the
bank has it), a comment on about 10 % of the answers, a few consensus values, sometimes
targets, importance and effort. A fixed seed gives the same files every run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assessment.bank import Bank  # noqa: E402
from assessment.document import FORMAT_VERSION  # noqa: E402
from assessment.bank_loader import load_banks  # noqa: E402

NATIONAL_BANK = "nationell-handlingsplan-2025"
SEED = 20250301
PARTICIPANTS = 20
UNKNOWN_SHARE = 0.08
NA_SHARE = 0.04
COMMENT_SHARE = 0.10
KINDS = ("region", "kommun", "vardgivare")
ROLES = ("verksamhetschef", "patientsäkerhetssamordnare", "sjuksköterska", "läkare",
         "undersköterska", "kvalitetsutvecklare", "enhetschef", "fysioterapeut")
COMMENTS = ("Rutin finns men följs inte upp.", "Gäller bara vissa enheter.",
            "Vi har börjat med detta under året.", "Oklart vem som äger frågan.",
            "Diskuterat i ledningsgruppen, beslut saknas.", "Fungerar bra på dagtid, sämre på helger.",
            "Behöver mer utbildning.", "Se handlingsplanen för 2025.")
EFFORTS = ("låg", "medel", "hög")


def pick_bank(bank_id: str = NATIONAL_BANK) -> Bank:
    """The national bank, or (while it is being written) any installed bank, with a warning."""
    banks = load_banks().banks
    if bank_id in banks:
        return banks[bank_id]
    if not banks:
        raise SystemExit("no bank is installed; add one to questions/")
    fallback = sorted(banks)[0]
    print(f"warning: bank {bank_id!r} is not installed; using {fallback!r} "
          "(the real benchmark must use the national bank)", file=sys.stderr)
    return banks[fallback]


def full_scope_kinds(bank: Bank) -> list[str]:
    """The organisation kinds for which every question of the bank is in scope (so every
    answer is scored), or all kinds the bank addresses if no kind covers every question."""
    questions = [q for _, q in bank.question_index().values()]
    present = [k for k in KINDS if any(a.value == k for q in questions for a in q.audiences)]
    full = [k for k in present if all(any(a.value == k for a in q.audiences) for q in questions)]
    return full or present


def make_assessment(bank: Bank, rng: random.Random, number: int,
                    participants: int = PARTICIPANTS) -> dict:
    """One organisation's assessment as the JSON document (a dict), ``participants`` of them
    answering every question."""
    top = bank.scale.top
    kinds = full_scope_kinds(bank)
    maturity = rng.uniform(0.4, top - 0.4)
    area_shift = {area.id: rng.gauss(0, 0.6) for area in bank.areas}
    people = [{"id": f"p{i:02d}", "name": f"Deltagare {i}", "role": rng.choice(ROLES)}
              for i in range(1, participants + 1)]
    na_share = NA_SHARE if bank.has_na else 0.0
    answers = []
    for p in people:
        bias = rng.gauss(0, 0.4)
        for area in bank.areas:
            for q in area.questions:
                r = rng.random()
                if r < UNKNOWN_SHARE:
                    value: int | str = "unknown"
                elif r < UNKNOWN_SHARE + na_share:
                    value = "na"
                else:
                    level = round(rng.gauss(maturity + area_shift[area.id] + bias, 0.8))
                    value = min(top, max(0, level))
                answer = {"participant": p["id"], "question": q.id, "value": value}
                if rng.random() < COMMENT_SHARE:
                    answer["comment"] = rng.choice(COMMENTS)
                answers.append(answer)
    questions = [q.id for _, q in bank.question_index().values()]
    consensus = [{"question": q, "value": rng.randint(0, top), "note": "Enades vid mötet"}
                 for q in rng.sample(questions, k=min(len(questions), rng.randint(0, 4)))]
    doc = {
        "format": "psa-assessment",
        "version": FORMAT_VERSION,
        "bank": {"id": bank.id, "version": bank.version},
        "organisation": {"name": f"Organisation {number:04d}", "kind": rng.choice(kinds),
                         "unit": rng.choice(["", "Akutkliniken", "Hemsjukvården", "Förvaltningen"])},
        "date": (dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(365))).isoformat(),
        "participants": people,
        "answers": answers,
        "consensus": consensus,
    }
    if rng.random() < 0.3:
        doc["targets"] = {a.id: rng.choice([2, 3, 3.5, top]) for a in rng.sample(bank.areas, 2)}
        doc["importance"] = {a.id: rng.randint(1, 3) for a in rng.sample(bank.areas, 2)}
        doc["effort"] = {q: rng.choice(EFFORTS) for q in rng.sample(questions, 5)}
    return doc


def generate(out_dir: Path, files: int, bank: Bank, seed: int = SEED) -> list[Path]:
    """Write ``files`` assessments into ``out_dir``; returns their paths in order."""
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(1, files + 1):
        path = out_dir / f"assessment-{n:04d}.json"
        path.write_text(json.dumps(make_assessment(bank, rng, n), ensure_ascii=False, indent=1),
                        encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Example:\n  python benchmarks/generate.py --files 50 "
                                            "--out /tmp/psa-bench")
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--bank", default=NATIONAL_BANK)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    bank = pick_bank(args.bank)
    paths = generate(args.out, args.files, bank, args.seed)
    print(f"wrote {len(paths)} files of bank {bank.id} to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
