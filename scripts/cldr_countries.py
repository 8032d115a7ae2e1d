"""Write lexicons/<lang>/countries.tsv from the Unicode CLDR's territory names (the `babel` package's copy):
the countries of lexicons/en/countries.tsv under their names in another language, with the aliases and
demonyms of EXTRA, which CLDR does not have. Run once per CLDR update: python scripts/cldr_countries.py fr
(and es)
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel import Locale

LEXICONS = Path(__file__).resolve().parent.parent / "src" / "newsgraph" / "lexicons"
# Long and older forms French news writes beside CLDR's short name, and demonyms (nouns, capitalised).
EXTRA = {
    "fr": {
        "CZ": ("République tchèque", "Tchèque|Tchèques"),
        "US": ("États-Unis d'Amérique|États-Unis d’Amérique|USA", "Américain|Américaine|Américains|Américaines"),
        "GB": ("Grande-Bretagne", "Britannique|Britanniques"),
        "FR": ("Hexagone", "Français|Française|Françaises"),
        "DE": ("", "Allemand|Allemande|Allemands|Allemandes"),
        "RU": ("Fédération de Russie", "Russe|Russes"),
        "UA": ("", "Ukrainien|Ukrainienne|Ukrainiens|Ukrainiennes"),
        "CN": ("", "Chinois|Chinoise|Chinoises"),
        "IQ": ("", "Irakien|Irakienne|Irakiens|Irakiennes"),
        "IR": ("", "Iranien|Iranienne|Iraniens|Iraniennes"),
        "SY": ("", "Syrien|Syrienne|Syriens|Syriennes"),
        "IL": ("État hébreu", "Israélien|Israélienne|Israéliens|Israéliennes"),
        "PS": ("Territoires palestiniens", "Palestinien|Palestinienne|Palestiniens|Palestiniennes"),
        "TN": ("", "Tunisien|Tunisienne|Tunisiens|Tunisiennes"),
        "DZ": ("", "Algérien|Algérienne|Algériens|Algériennes"),
        "MA": ("", "Marocain|Marocaine|Marocains|Marocaines"),
        "CA": ("", "Canadien|Canadienne|Canadiens|Canadiennes"),
        "BE": ("", "Belge|Belges"),
        "CH": ("", "Suisse|Suisses"),
        "IT": ("", "Italien|Italienne|Italiens|Italiennes"),
        "ES": ("", "Espagnol|Espagnole|Espagnols|Espagnoles"),
        "JP": ("", "Japonais|Japonaise|Japonaises"),
        "TR": ("", "Turc|Turque|Turcs|Turques"),
        "AF": ("", "Afghan|Afghane|Afghans|Afghanes"),
        "LB": ("", "Libanais|Libanaise|Libanaises"),
        "EG": ("", "Égyptien|Égyptienne|Égyptiens|Égyptiennes"),
        "ML": ("", "Malien|Malienne|Maliens|Maliennes"),
        "SN": ("", "Sénégalais|Sénégalaise|Sénégalaises"),
        "CI": ("", "Ivoirien|Ivoirienne|Ivoiriens|Ivoiriennes"),
        "PL": ("", "Polonais|Polonaise|Polonaises"),
        "IN": ("", "Indien|Indienne|Indiens|Indiennes"),
        "KP": ("Corée du Nord", "Nord-Coréen|Nord-Coréens"),
        "KR": ("Corée du Sud", "Sud-Coréen|Sud-Coréens"),
    },
    # Spanish demonyms are lower-case nouns ("los mexicanos"): only the long forms and the capitalised
    # names Spanish news writes beside CLDR's short name.
    "es": {
        "US": ("Estados Unidos de América|EE.UU.|EE. UU.|EEUU|EUA", ""),
        "GB": ("Gran Bretaña", ""),
        "RU": ("Federación de Rusia|Federación Rusa", ""),
        "CZ": ("República Checa", ""),
        "KP": ("Corea del Norte", ""),
        "KR": ("Corea del Sur", ""),
        "DO": ("República Dominicana", ""),
        "VE": ("República Bolivariana de Venezuela", ""),
        "BO": ("Estado Plurinacional de Bolivia", ""),
        "MX": ("Estados Unidos Mexicanos|Méjico", ""),
        "AR": ("República Argentina", ""),
        "PS": ("Territorios Palestinos|Palestina", ""),
        "NL": ("Holanda", ""),
        "CN": ("República Popular China", ""),
        "CD": ("República Democrática del Congo|RDC", ""),
    },
}


def main(lang: str) -> None:
    names = Locale(lang).territories
    extra = EXTRA.get(lang, {})
    lines = [
        f"# ISO2\tcanonical name\tother names (|)\tdemonyms (|): the countries of ../en/countries.tsv as {lang!r} news",
        "# names them. Written by scripts/cldr_countries.py from the Unicode CLDR territory names (Unicode licence),",
        "# as the babel package ships them, with the long forms and demonyms of its EXTRA table (the team's).",
    ]
    done: set[str] = set()
    for line in (LEXICONS / "en" / "countries.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        iso = line.split("\t")[0]
        if iso not in names or iso in done:
            continue  # the UK's nations are rows of their own in English (regions there), its name once here
        done.add(iso)
        aliases, demonyms = extra.get(iso, ("", ""))
        lines.append("\t".join([iso, names[iso], aliases, demonyms]))
    (LEXICONS / lang / "countries.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "fr")
