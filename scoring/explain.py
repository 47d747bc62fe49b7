"""A priority's reasons in words a manager reads without the codebook (texts in locales/).

    "Nuläget är 1 av 4 enligt 4 svar och målet är 3; gruppen var oenig; 1 av 5 svarade Vet ej;
     viktigheten är hög och insatsen liten; aktiviteten bedöms i F1 Öka kunskap om inträffade
     vårdskador och gäller också G1 Engagerad ledning och tydlig styrning. Nästa steg: kom
     överens om nuläget på Samsyn."
"""

from __future__ import annotations

from assessment.bank import Bank
from assessment.i18n import catalogue, format_level, format_score, translate
from scoring.areas import AreaScore, Overall
from scoring.priorities import THEME_CAP, TOP, KnowledgeGap, Priority


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
    """A priority's reasons as sentences (``reason.*`` in locales/): "Nuläget är 0 av 4 enligt
    4 svar och målet är 3; gruppen var oenig; viktighet och insats är ännu inte bedömda.
    Nästa steg: kom överens om nuläget på Samsyn." Clauses are joined by semicolons, never by
    a separator sign, and name no internal code (an effort's key, a next step's id)."""
    # The words looked up in the catalogue directly: this runs for every priority of every
    # file that ``score --json`` writes, in both languages.
    chosen, swedish = catalogue(lang), catalogue("sv")

    def t(key: str, **values) -> str:
        key = "reason." + key
        return (chosen.get(key) or swedish[key]).format(**values)

    if p.consensus:
        rests_on = t("basis_consensus")
    else:
        rests_on = t("basis_one" if p.levels == 1 else "basis_levels", count=p.levels)
    clauses = [t("where", value=format_level(p.value, lang), top=format_level(bank.scale.top, lang),
                 basis=rests_on, target=format_level(p.target, lang))]
    if p.disagreement:
        clauses.append(t("disagreement"))
    if p.unknown_answers:
        clauses.append(t("uncertain" if p.uncertain else "unknown",
                         count=p.unknown_answers, total=p.counted_answers))
    importance = t(f"importance_{p.importance}") if p.importance_set else None
    effort = t(f"effort_{p.effort}") if p.effort else None
    if importance and effort:
        clauses.append(t("importance_and_effort", importance=importance, effort=effort))
    elif importance:
        clauses.append(t("importance_only", importance=importance))
    elif effort:
        clauses.append(t("effort_only", effort=effort))
    else:
        clauses.append(t("neither"))
    if len(p.areas) > 1:
        others = f" {t('and')} ".join(area_name(bank, a, lang) for a in p.areas[1:])
        clauses.append(t("also", area=area_name(bank, p.area, lang), areas=others))
    if p.moved_for_theme and p.theme:
        clauses.append(t("moved_for_theme", cap=THEME_CAP, top=TOP,
                         theme=bank.theme(p.theme).name.get(lang)))
    if p.set_apart and p.decided_by:
        clauses.append(t(f"decided_by_{p.decided_by}"))
    text = "; ".join(clauses)
    return f"{text[0].upper()}{text[1:]}. {t(f'next_{p.next_step}')}"


def defaults_left(priorities: list[Priority]) -> int:
    """How many of the ranked activities still rest on default importance or unset effort."""
    return sum(1 for p in priorities if not (p.importance_set and p.effort_set))


def counted(lang: str, key: str, count: int) -> str:
    """"3 kunskapsluckor", "1 kunskapslucka", "inga kunskapsluckor": ``counts.{key}_…``."""
    form = "zero" if count == 0 else "one" if count == 1 else "many"
    return translate(lang, f"counts.{key}_{form}", count=count)


def coverage_text(summary: Overall, lang: str, areas: list[AreaScore] | None = None) -> str:
    """What the overall score rests on – the questions answered with a level of all those in
    scope, and what is left out of it (Ej aktuellt, knowledge gaps, unanswered) – the areas
    with no score because every answer is Vet ej, and (given ``areas``) those whose score
    rests on too little: so the overall never looks complete when it is not."""
    text = (translate(lang, "results.covers", questions=summary.questions_scored,
                      of_questions=summary.in_scope) if summary.questions_scored else
            translate(lang, "results.covers_none", of_questions=summary.in_scope))
    left_out = [counted(lang, key, count) for key, count in (
        ("na", summary.na_questions), ("gaps", summary.knowledge_gaps),
        ("unanswered", summary.unanswered)) if count]
    if left_out:
        text += " " + translate(lang, "results.left_out", items=", ".join(left_out))
    if summary.all_unknown:
        text += " " + translate(lang, "results.all_unknown", areas=", ".join(summary.all_unknown))
    if areas is not None:
        thin = thin_text(areas, lang)
        if thin:
            text += " " + thin
    return text


def thin_basis(area: AreaScore, lang: str) -> str:
    """"för lite underlag (1 av 8 frågor)": an area whose score rests on too little."""
    return translate(lang, "results.thin_area", valued=area.valued, of=area.applicable)


def area_score_text(area: AreaScore, lang: str) -> str:
    """An area's score as every table shows it: "75", "–", or "för lite underlag (1 av 8
    frågor)" where it rests on too little."""
    return thin_basis(area, lang) if area.thin else format_score(area.score, lang)


def strongest_weakest(areas: list[AreaScore]) -> tuple[list[AreaScore], list[AreaScore]] | None:
    """The strongest and the weakest of the areas with enough basis – every area that shares
    the top (or bottom) score, in bank order; ``None`` when fewer than two have enough basis
    or all of them score the same, so no sentence names one area both, or picks one of
    equals."""
    solid = [a for a in areas if a.enough_basis]
    if len(solid) < 2:
        return None
    top, bottom = max(a.score for a in solid), min(a.score for a in solid)
    if top == bottom:
        return None
    return [a for a in solid if a.score == top], [a for a in solid if a.score == bottom]


def area_names(bank: Bank, areas: list[AreaScore], lang: str) -> str:
    """"F1 Öka kunskap om inträffade vårdskador" for one area; "G1, G2 och F4" for several."""
    if len(areas) == 1:
        return area_name(bank, areas[0].id, lang)
    ids = [a.id for a in areas]
    return f" {translate(lang, 'why.and')} ".join((", ".join(ids[:-1]), ids[-1]))


def thin_text(areas: list[AreaScore], lang: str) -> str:
    """The areas whose score rests on too little basis, named with their coverage ("" if none)."""
    thin = [a for a in areas if a.thin]
    if not thin:
        return ""
    return translate(lang, "results.thin", areas=", ".join(
        translate(lang, "results.thin_item", area=a.id, valued=a.valued, of=a.applicable)
        for a in thin))


def gap_counts_text(k: KnowledgeGap, lang: str) -> str:
    """A knowledge-gap entry's counts: "4 av 5 svarade Vet ej", or for a value on an
    uncertain basis "osäkert underlag: 2 av 5 svarade Vet ej · värde 1"."""
    if not k.uncertain:
        return translate(lang, "why.unknown", count=k.unknown_answers, total=k.answers)
    return " · ".join((translate(lang, "why.uncertain", count=k.unknown_answers, total=k.answers),
                       translate(lang, "results.uncertain_value",
                                 value=format_level(k.value, lang))))


def gaps_text(summary: Overall, lang: str) -> str:
    """"2 kunskapsluckor och 15 frågor med osäkert underlag": the knowledge-gap list's two
    kinds, counted once, as every surface says it."""
    gaps = counted(lang, "gaps", summary.knowledge_gaps)
    if not summary.uncertain:
        return gaps
    return translate(lang, "results.gaps_and_uncertain", gaps=gaps,
                     uncertain=counted(lang, "uncertain", summary.uncertain))
