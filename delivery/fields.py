"""Serializer fields shared by the apps' input serializers."""

from typing import Any

from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """DRF's ``CharField``, which takes only text.

    DRF turns a number into text (``42`` becomes ``"42"``), so a request the schema
    calls invalid (a number where a string belongs) would be accepted, and a
    number could become a username or a token. Here anything but a string is the
    usual ``invalid`` error, a 400.
    """

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)
