"""A priority's reasons in words a manager reads without the codebook (texts in locales/).

    "F1 Öka kunskap om inträffade vårdskador: nu 1 (median av 4 svar), mål 3 · viktighet hög ·
     liten insats · oenighet i gruppen · 1 av 5 svarade Vet ej · gäller också G1 Engagerad
     ledning och tydlig styrning · nästa steg: kom överens om nuläget på Samsyn"
"""

from __future__ import annotations

from assessment.bank import Bank
from assessment.i18n import catalogue, format_level, translate
from scoring.areas import Overall
from scoring.priorities import Priority


def area_name(bank: Bank, area_id: str, lang: str) -> str:
    """"F1 Öka kunskap om inträffade vårdskador" (the id alone if the bank lacks the area)."""
    try:
        return f"{area_id} {bank.area(area_id).name.get(lang)}"
    except KeyError:
        return area_id


def basis(consensus: bool, levels: int, lang: str) -> str:
    """What a question's value rests on: "samsyn", "1 svar", "4 svar"."""
    if consensus:
        return translate(lang, "why.basis_consensus")
    return translate(lang, "why.basis_one" if levels == 1 else "why.basis_levels", count=levels)


def explain(p: Priority, bank: Bank, lang: str) -> str:
    # The words looked up in the catalogue directly: this runs for every priority of every
    # file that ``score --json`` writes, in both languages.
    chosen, swedish = catalogue(lang), catalogue("sv")

    def t(key: str) -> str:
        key = "why." + key
        return chosen.get(key) or swedish[key]

    parts = [t("where").format(area=area_name(bank, p.area, lang),
                               value=format_level(p.value, lang),
                               basis=basis(p.consensus, p.levels, lang),
                               target=format_level(p.target, lang)),
             t("importance" if p.importance_set else "importance_default").format(
                 word=t(f"importance_{p.importance}")),
             t(f"effort_{p.effort}") if p.effort else t("effort_unset")]
    if p.disagreement:
        parts.append(t("disagreement"))
    if p.unknown_answers:
        parts.append(t("unknown").format(count=p.unknown_answers, total=p.counted_answers))
    if len(p.areas) > 1:
        others = [area_name(bank, a, lang) for a in p.areas[1:]]
        parts.append(t("also").format(areas=f" {t('and')} ".join(others)))
    parts.append(t(f"next_{p.next_step}"))
    return " · ".join(parts)


def defaults_left(priorities: list[Priority]) -> int:
    """How many of the ranked activities still rest on default importance or unset effort."""
    return sum(1 for p in priorities if not (p.importance_set and p.effort_set))


def coverage_text(summary: Overall, lang: str) -> str:
    """What the overall score rests on, and which areas have no score because every answer
    is Vet ej – so the overall never looks complete when it is not."""
    text = translate(lang, "results.covers", areas=summary.areas_scored, of_areas=summary.areas,
                     questions=summary.questions_scored, of_questions=summary.questions)
    if summary.all_unknown:
        text += " " + translate(lang, "results.all_unknown", areas=", ".join(summary.all_unknown))
    return text
