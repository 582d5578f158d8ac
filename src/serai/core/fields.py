"""Model and form fields for :class:`~serai.core.i18n.TranslatedText`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db import models
from django.utils.text import normalize_newlines
from django.utils.translation import gettext_lazy as _

from .i18n import FLAGS, MACHINE, UNREVIEWED, TranslatedText, content_languages, validate_single_line


class TranslatableField(models.JSONField):
    """A JSON column holding one text per language, the source language and review flags."""

    description = "Text in several languages"

    def __init__(self, *args: Any, max_length: int | None = None, multiline: bool = False, **kwargs: Any):
        self.text_max_length = max_length
        self.multiline = multiline
        kwargs.setdefault("default", dict)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.text_max_length is not None:
            kwargs["max_length"] = self.text_max_length
        if self.multiline:
            kwargs["multiline"] = True
        if kwargs.get("default") is dict:
            del kwargs["default"]
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        value = super().from_db_value(value, expression, connection)
        if value is None:
            return TranslatedText()
        if isinstance(value, dict):
            return TranslatedText.coerce(value)
        return value

    def to_python(self, value):
        if isinstance(value, TranslatedText):
            return value
        return TranslatedText.coerce(value)

    def get_prep_value(self, value):
        # Only whole values are converted: key lookups (``name__values__en="…"``) pass plain strings.
        if isinstance(value, TranslatedText):
            value = value.to_json()
        return super().get_prep_value(value)

    def value_to_string(self, obj):
        return self.value_from_object(obj)

    def value_from_object(self, obj):
        value = super().value_from_object(obj)
        return TranslatedText.coerce(value).to_json()

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if not isinstance(value, TranslatedText):
            value = TranslatedText.coerce(value)
            setattr(model_instance, self.attname, value)
        return value

    def validate(self, value, model_instance):
        # a field that is not multiline (every title and name) holds one line in every language
        TranslatedText.coerce(value).validate(
            required=not self.blank,
            max_length=self.text_max_length,
            field_label=str(self.verbose_name),
            single_line=not self.multiline,
        )

    def formfield(self, **kwargs):
        return TranslatableFormField(
            required=not self.blank,
            max_length=self.text_max_length,
            multiline=self.multiline,
            label=kwargs.get("label", self.verbose_name),
            help_text=kwargs.get("help_text", self.help_text),
        )


FLAG_CHOICES = [("", _("reviewed")), (UNREVIEWED, _("not reviewed")), (MACHINE, _("machine translation"))]


class TranslatableWidget(forms.MultiWidget):
    template_name = "serai/widgets/translatable.html"

    def __init__(self, multiline: bool = False, attrs=None):
        self.languages = list(settings.CONTENT_LANGUAGES)
        widgets: list[forms.Widget] = []
        for _code, _name in self.languages:
            widgets.append(forms.Textarea(attrs={"rows": 4}) if multiline else forms.TextInput())
            widgets.append(forms.Select(choices=FLAG_CHOICES))
        widgets.append(forms.Select(choices=self.languages))
        super().__init__(widgets, attrs)

    def decompress(self, value):
        text = TranslatedText.coerce(value)
        out: list[Any] = []
        for code, _name in self.languages:
            out.append(text.values.get(code, ""))
            out.append(text.flags.get(code, ""))
        out.append(text.source or settings.LANGUAGE_CODE)
        return out

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        subs = context["widget"]["subwidgets"]
        rows = []
        for index, (code, label) in enumerate(self.languages):
            rows.append({"code": code, "label": label, "text": subs[2 * index], "flag": subs[2 * index + 1]})
        context["widget"]["rows"] = rows
        context["widget"]["source"] = subs[-1]
        return context


class TranslatableFormField(forms.MultiValueField):
    def __init__(self, *, required: bool = True, max_length: int | None = None, multiline: bool = False, **kwargs):
        self.text_max_length = max_length
        fields: list[forms.Field] = []
        validators = [] if multiline else [validate_single_line]
        for _code, _name in settings.CONTENT_LANGUAGES:
            fields.append(forms.CharField(required=False, max_length=max_length, strip=True, validators=validators))
            fields.append(forms.ChoiceField(required=False, choices=FLAG_CHOICES))
        fields.append(forms.ChoiceField(required=False, choices=settings.CONTENT_LANGUAGES))
        kwargs.setdefault("widget", TranslatableWidget(multiline=multiline))
        super().__init__(fields, require_all_fields=False, required=required, **kwargs)

    def compress(self, data_list):
        if not data_list:
            return TranslatedText()
        languages = content_languages()
        values, flags = {}, {}
        for index, code in enumerate(languages):
            text, flag = normalize_newlines(data_list[2 * index]), data_list[2 * index + 1]
            if text:
                values[code] = text
                if flag in FLAGS:
                    flags[code] = flag
        source = data_list[-1] or None
        if source not in values:
            source = next(iter(values), None)
        return TranslatedText(values, source, flags)

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(_("Enter the text in at least one language."), code="required")
