"""Serializer fields shared by the apps' input serializers."""

from typing import Any

from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """DRF's ``CharField``, which takes only text, and no more than it documents.

    DRF turns a number into text (``42`` becomes ``"42"``), so a request the schema
    calls invalid (a number where a string belongs) would be accepted, and a
    number could become a username or a token. Here anything but a string is the
    usual ``invalid`` error, a 400.

    DRF also trims the text before it counts its length, so that a value the
    schema's ``maxLength`` refuses passed when its excess was white space. The
    length is counted as sent.
    """

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class StrictSlugField(StrictCharField, serializers.SlugField):
    """DRF's ``SlugField``, which takes only text (see ``StrictCharField``)."""
