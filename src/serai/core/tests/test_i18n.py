import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from serai.core.fields import TranslatableFormField
from serai.core.i18n import MACHINE, UNREVIEWED, TranslatedText
from serai.reference.models import MemberState


def test_value_in_active_language_with_fallback_to_source():
    text = TranslatedText({"ko": "에너지", "ru": "Энергетика"}, source="ko")
    with translation.override("ru"):
        assert str(text) == "Энергетика"
        assert text.served_language() == "ru"
    with translation.override("en"):  # no English: the source language is served
        assert str(text) == "에너지"
        assert text.served_language() == "ko"


def test_missing_languages_and_flags():
    text = TranslatedText({"en": "Energy", "ru": "Энергетика"}, source="en", flags={"ru": MACHINE, "ko": MACHINE})
    assert text.missing() == ["ko"]
    assert text.flag("ru") == MACHINE
    assert "ko" not in text.flags  # a flag without text is dropped
    replaced = text.with_value("ru", "Энергетика (проверено)")
    assert replaced.flag("ru") is None and replaced.get("ru") == "Энергетика (проверено)"


def test_validation_names_the_problem():
    with pytest.raises(ValidationError) as exc:
        TranslatedText({"fr": "Énergie"}).validate(required=True, max_length=None, field_label="name")
    assert "unknown language(s) fr" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        TranslatedText({"en": "x" * 11}).validate(required=True, max_length=10, field_label="name")
    assert "at most 10" in str(exc.value)
    with pytest.raises(ValidationError):
        TranslatedText().validate(required=True, max_length=None)


@pytest.mark.django_db
def test_model_field_round_trip_keeps_source_and_flags():
    name = TranslatedText(
        {"en": "Testland", "ko": "테스트랜드", "ru": "Тестландия"}, source="ko", flags={"ru": UNREVIEWED}
    )
    MemberState.objects.create(iso2="TL", iso3="TLD", iso_numeric="999", name=name)
    loaded = MemberState.objects.get(iso2="TL")
    assert loaded.name == name
    assert loaded.name.source == "ko" and loaded.name.flag("ru") == UNREVIEWED
    assert MemberState.objects.filter(name__values__ru="Тестландия").count() == 1


def test_form_field_compresses_per_language_inputs():
    field = TranslatableFormField(required=True, max_length=50)
    # en text, en flag, ko text, ko flag, ru text, ru flag, source
    value = field.clean(["Energy", "", "에너지", MACHINE, "", "", "en"])
    assert value.values == {"en": "Energy", "ko": "에너지"}
    assert value.flags == {"ko": MACHINE}
    assert value.source == "en"
    with pytest.raises(ValidationError):
        field.clean(["", "", "", "", "", "", "en"])
    # a source language without text falls back to a language that has text
    assert field.clean(["", "", "", "", "Энергия", "", "ko"]).source == "ru"
