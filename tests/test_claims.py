"""Claims compare figures about one happening only: within a story, or across the stories that tell the
same event (one event cluster); never two stories' figures about different things."""

from __future__ import annotations

import warnings
from pathlib import Path

from newsgraph.document import RawArticle
from newsgraph.pipeline import analyze
from newsgraph.store import queries
from newsgraph.store.db import connect, connect_readonly, write_document
from newsgraph.store.dedup import signature

ATTACK = {  # one attack, three outlets, two tolls
    "Reuters": "Gunmen attacked a police checkpoint in Baqubah on Monday, killing four policemen, officials said.",
    "AFP": "Five Iraqi policemen were killed on Monday when gunmen stormed a checkpoint in Baqubah, police said.",
    "AP": "Militants assaulted a police post in Baqubah on Monday and killed four policemen, officials said.",
}
TROOPS = {  # two stories about different deployments: not one claim
    "Gulf Wire": "About 2,500 US troops remain in Iraq after the end of the combat mission, officials said on Monday.",
    "Kabul Post": "The Pentagon said on Monday that 13,000 US troops were still deployed in Afghanistan.",
}


def test_figures_are_compared_within_one_happening_only(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    conn = connect(db)
    for outlet, text in {**ATTACK, **TROOPS}.items():
        doc = analyze(RawArticle(name=outlet, content=text, format="text", published="2019-11-18", source=outlet))
        write_document(conn, doc, signature=signature(doc.text))
    conn.close()
    ro = connect_readonly(db)
    [toll] = queries.claims(ro, noun="policemen")["items"]
    assert toll["sources"] == 3 and toll["stories"] == 3 and toll["disagree"] is True  # four against five
    assert len(toll["subject"]["cluster_ids"]) == 1 and len(toll["subject"]["story_ids"]) == 3
    assert {v["value"]: sorted(v["sources"]) for v in toll["values"]} == {4.0: ["AP", "Reuters"], 5.0: ["AFP"]}
    # Iraq's 2,500 and Afghanistan's 13,000: no event in common, so no claim of two sources
    assert queries.claims(ro, noun="troops", country="US")["total"] == 0
    alone = queries.claims(ro, noun="troops", country="US", min_sources=1)["items"]
    assert sorted(c["values"][0]["value"] for c in alone) == [2500.0, 13000.0]
    assert all(c["disagree"] is False for c in alone)
    assert queries.claims(ro, disagree=False)["total"] == 0 and queries.claims(ro, disagree=True)["total"] == 1

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
        from fastapi.testclient import TestClient

    from newsgraph.web.app import create_app

    with TestClient(create_app(db)) as client:
        page = client.get("/claims").text
        assert page.count('<section class="claim disagree">') == 1 and "policemen killed" in page
        assert f'href="/events/{toll["subject"]["cluster_ids"][0]}"' in page  # the happening's page
        assert "AP, Reuters" in page or "Reuters, AP" in page
        assert client.get("/api/claims", params={"disagree": "true"}).json()["total"] == 1


def test_figures_carry_no_floating_point_artefacts() -> None:
    assert queries.clean_number(16.6 * 1_000_000) == 16_600_000.0
    assert queries.clean_number(0.1 + 0.2) == 0.3 and queries.clean_number(None) is None
    assert queries.clean_number(2_500.0) == 2_500.0
