"""Text analysis for matching: Russian inflection, Korean compounds and particles, concepts."""

from __future__ import annotations

import json

from serai.network import text


def test_russian_forms_share_a_token():
    assert text.tokens("энергия") == text.tokens("энергии") == text.tokens("энергией") == ["энерг"]
    assert text.tokens("водных ресурсов") == text.tokens("водные ресурсы")


def test_english_plural_and_verb_forms_share_a_token():
    assert text.tokens("batteries") == text.tokens("battery")
    assert text.tokens("irrigation systems") == text.tokens("irrigation system")


def test_korean_particle_is_stripped_and_run_cut_into_bigrams():
    assert text.strip_particle("에너지를") == "에너지"
    assert text.strip_particle("물을") == "물을"  # too short to cut safely
    assert text.tokens("태양광발전소를") == ["태양", "양광", "광발", "발전", "전소"]
    # a compound shares tokens with its parts, whatever the spacing
    assert set(text.tokens("태양광 발전소")) <= set(text.tokens("태양광발전소에서"))


def test_stop_words_and_numbers_give_no_tokens():
    assert text.tokens("and the of 2024 и в 및") == []


def test_concepts_meet_across_languages():
    vocab = text.vocabulary()
    ko = vocab.concepts("카자흐스탄의 태양광 발전소와 수소 연료전지 기술을 찾습니다")
    ru = vocab.concepts("Предлагаем солнечные электростанции и водородные топливные элементы")
    en = vocab.concepts("We offer solar power plants and hydrogen fuel cells")
    assert {"solar", "hydrogen", "power_plant"} <= set(ko) & set(ru) & set(en)


def test_a_longer_korean_term_wins_over_the_term_inside_it():
    vocab = text.vocabulary()
    found = vocab.concepts("온실가스 감축")
    assert "emissions" in found and "greenhouse" not in found
    assert "greenhouse" in vocab.concepts("스마트 온실 재배")


def test_short_and_marked_terms_match_whole_words_only():
    vocab = text.vocabulary()
    assert "ai" in vocab.concepts("AI for e-government")
    assert "ai" not in vocab.concepts("humanitarian aid")
    assert "import" in vocab.concepts("imports of steel")
    assert "import" not in vocab.concepts("an important step")
    assert "egov" in vocab.concepts("e-government services")


def test_one_syllable_korean_term_matches_a_whole_word():
    vocab = text.vocabulary()
    assert "water" in vocab.concepts("물을 아끼는 관개")
    assert "water" not in vocab.concepts("물류 센터")  # 물류 is logistics, not water
    assert "logistics" in vocab.concepts("물류 센터")


def test_vocabulary_is_well_formed():
    with open(text.DATA, encoding="utf-8") as f:
        data = json.load(f)
    concepts = data["concepts"]
    assert 150 <= len(concepts) <= 300
    fields = {
        "energy",
        "transport-logistics",
        "trade",
        "high-tech-it",
        "construction",
        "textiles",
        "agriculture",
        "climate-environment",
        "culture",
        "tourism",
        "education",
        "health",
        "mining",
    }
    for cid, entry in concepts.items():
        assert entry["field"] in fields, cid
        for lang in ("en", "ko", "ru"):
            assert entry[lang], (cid, lang)
    assert {c["field"] for c in concepts.values()} == fields
