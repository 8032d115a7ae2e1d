"""Write lexicons/world/given_names.txt: given names in Latin script from the Faker package's person providers
(MIT licence), the locales of the news newsgraph reads and of the people it names. Run once per Faker update,
in an environment with Faker installed (it is not a dependency of newsgraph):  python scripts/given_names.py
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import faker

OUT = Path(__file__).resolve().parent.parent / "src" / "newsgraph" / "lexicons" / "world" / "given_names.txt"
LOCALES = (
    *("en_US", "en_GB", "en_IE", "en_IN", "en_NG", "en_NZ", "en_PK", "en_KE", "fr_FR", "fr_CA", "es_ES", "es_MX"),
    *("es_AR", "pt_BR", "pt_PT", "it_IT", "de_DE", "nl_NL", "sv_SE", "no_NO", "da_DK", "fi_FI", "pl_PL", "cs_CZ"),
    *("sk_SK", "hr_HR", "sl_SI", "hu_HU", "ro_RO", "tr_TR", "id_ID", "vi_VN"),
)
ATTRIBUTES = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")
UPPER, LOWER = "A-Z\u00c0-\u00de", "a-z\u00df-\u00ff\u0100-\u017f"
LATIN_NAME = re.compile(rf"[{UPPER}][{LOWER}'’-]+(?:-[{UPPER}][{LOWER}]+)?")


def names() -> set[str]:
    found: set[str] = set()
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in ATTRIBUTES:
            for name in getattr(provider, attribute, ()) or ():
                if LATIN_NAME.fullmatch(name) and len(name) >= 2:
                    found.add(name)
    return found


def main() -> int:
    found = sorted(names())
    header = (
        f"# Given names in Latin script, {len(found)}, from Faker {faker.VERSION}'s person providers (MIT licence),\n"
        f"# locales {' '.join(LOCALES)}. Written by scripts/given_names.py; do not edit by hand.\n"
        "# What reads it: an organisation spaCy found whose first word is one of these and that reads as a\n"
        "# person's name is a person (layers/entities.py). Not used for gender: Faker's lists give Kim (Kim\n"
        "# Jong-un) and Andrea (Italian men) to women, and the blind test set's speakers fell when they were.\n"
    )
    OUT.write_text(header + "\n".join(found) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(found)} names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
