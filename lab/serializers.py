"""What the labs' API reads and answers."""

from rest_framework import serializers

from api.fields import StrictCharField
from lab.cards import CardRefused, jwk_key
from lab.models import LabOrder, Loot

MAX_KEYS = 5


class LabOrderSerializer(serializers.ModelSerializer):
    class Meta:
        model = LabOrder
        fields = ["id", "lab", "customer", "staff_meal", "lines", "total", "placed_at"]
        read_only_fields = fields


class KeySetSerializer(serializers.Serializer):
    """A JSON Web Key Set: up to five keys, each with a ``kid`` and usable."""

    keys = serializers.ListField(
        child=serializers.DictField(), min_length=1, max_length=MAX_KEYS
    )

    def validate_keys(self, keys: list[dict]) -> list[dict]:
        for jwk in keys:
            kid = jwk.get("kid")
            if not isinstance(kid, str) or not 0 < len(kid) <= 100:
                raise serializers.ValidationError("Every key needs a kid (text).")
            try:
                jwk_key(jwk)
            except CardRefused as exc:
                raise serializers.ValidationError(exc.detail) from exc
        return keys


class ReviewSerializer(serializers.Serializer):
    text = StrictCharField(max_length=2000, allow_blank=True, trim_whitespace=False)


class LootSerializer(serializers.ModelSerializer):
    class Meta:
        model = Loot
        fields = ["card", "cookie_names", "received_at"]
        read_only_fields = fields
